"""`policypress import`, step by step: read every Word file (nothing is written if one cannot be read), convert
each, decide the files to write (a model, overlays, approvals, pictures), write them into a copy of the
project and check that it builds, measure fidelity there, and only then write into the project itself.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from policypress.checks.citations import CitationFinder
from policypress.checks.links.settings import load_settings
from policypress.compose.load import load_project
from policypress.compose.render import RenderedSchool, render_project
from policypress.core.errors import Problem, SourceErrors, UsageError
from policypress.core.files import write_file
from policypress.importer.convert import Converted, Tools, convert
from policypress.importer.document import Item, Place, WordDocument
from policypress.importer.docx_reader import read_word_file
from policypress.importer.facts import KnownFacts
from policypress.importer.fidelity import Fidelity, fidelity
from policypress.importer.merge import Counts, join_sections, merge_copies, overlays_against, split_sections
from policypress.importer.yaml_edit import has_entry, set_entry
from policypress.source.project import Project
from policypress.source.reader import UnreadableFile, read_source

PROJECT_PARTS = ("content", "schools", "approvals", "templates", "mkdocs.yml", "checks.yml")


@dataclass(frozen=True)
class ImportRequest:
    """What the command was asked to do."""

    root: Path
    files: tuple[Path, ...]
    trust: str
    schools: tuple[str, ...] = ()
    """One school per file with --model; at most one otherwise."""
    policy_id: str | None = None
    model: bool = False
    force: bool = False
    dry_run: bool = False


@dataclass
class FileResult:
    """What became of one Word file."""

    converted: Converted
    school: str | None
    fidelity: Fidelity | None = None
    sections_differing: int = 0
    words_differing: int = 0


@dataclass
class ImportResult:
    policy_id: str
    files: list[FileResult]
    written: dict[str, str | bytes] = field(default_factory=dict)
    """Project-relative path → new content (written, or that would be with --dry-run)."""
    dry_run: bool = False


def run_import(request: ImportRequest) -> ImportResult:
    """Read, convert, stage and check; then write (unless dry_run). Raises SourceErrors/UsageError."""
    project = load_project(request.root)
    _check_names(project, request)
    documents = _read_all(request.files)
    policy_id = request.policy_id or _id_from(request.files[0])
    schools = list(request.schools) if request.schools else [None] * len(documents)
    results = [FileResult(convert(doc, _tools(project, request, school, doc), policy_id), school)
               for doc, school in zip(documents, schools, strict=True)]
    files = _plan(project, request, policy_id, results)
    _refuse_overwrites(request, files)
    staged = _stage(request.root, {**files, **_measuring_school(project, request, policy_id, files)})
    try:
        _measure(staged, request, policy_id, results)
    finally:
        shutil.rmtree(staged.parent, ignore_errors=True)
    if not request.dry_run:
        for rel, data in sorted(files.items()):
            write_file(request.root / rel, data)
    return ImportResult(policy_id, results, files, request.dry_run)


def _check_names(project: Project, request: ImportRequest) -> None:
    if request.trust not in project.trusts:
        raise UsageError(f"no trust called {request.trust} — use one of: {', '.join(sorted(project.trusts))}")
    unknown = [s for s in request.schools if s not in project.schools]
    if unknown:
        raise UsageError(f"no school called {', '.join(unknown)} — use one of: {', '.join(sorted(project.schools))}")
    elsewhere = [s for s in request.schools if project.schools[s].trust != request.trust]
    if elsewhere:
        raise UsageError(f"{', '.join(elsewhere)} is not one of {request.trust}'s schools")
    if request.model and len(request.schools) != len(request.files):
        raise UsageError(f"--model needs one school per Word file: {len(request.files)} file(s), "
                         f"{len(request.schools)} school(s) in --schools")
    if not request.model and len(request.files) > 1 and request.policy_id:
        raise UsageError("--id names one policy: import one Word file with it, or several without it")


def _read_all(files: tuple[Path, ...]) -> list[WordDocument]:
    """Every file read before anything else happens: all the problems at once (exit 2)."""
    documents: list[WordDocument] = []
    problems: list[Problem] = []
    for path in files:
        try:
            documents.append(read_word_file(path))
        except SourceErrors as exc:
            problems += exc.problems
    if problems:
        raise SourceErrors(problems)
    return documents


def _id_from(path: Path) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return words or "imported-policy"


def _tools(project: Project, request: ImportRequest, school: str | None, doc: WordDocument) -> Tools:
    known = KnownFacts.for_school(project, school) if school else KnownFacts.for_trust(project, request.trust)
    if school:
        known = _with_header_name(known, doc)
    return Tools(known, CitationFinder(project.registry.model), load_settings(request.root))


SCHOOL_WORDS = re.compile(r"\b(?:School|Academy|College|Nursery|Infants?|Juniors?)\b")


def _with_header_name(known: KnownFacts, doc: WordDocument) -> KnownFacts:
    """The school's name as the Word file's page header gives it ('Westlands First School & Nursery'): in this
    file, that name is the school's, so it becomes {{ school.name }} too."""
    names = [line.strip() for line in doc.header_text if SCHOOL_WORDS.search(line) and 2 <= len(line.split()) <= 8]
    if not names:
        return known
    pairs = [(v.value, v.placeholder) for v in known.values] + [(name, "{{ school.name }}") for name in names]
    return KnownFacts.build(pairs, known.target)


# --- what to write -----------------------------------------------------------------------------------------

def _plan(project: Project, request: ImportRequest, policy_id: str,
          results: list[FileResult]) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    trust_folder = f"schools/{request.trust}"
    existing = _existing_model(project, request, policy_id)
    first = results[0].converted
    if request.model and existing is None:
        merged = merge_copies({r.school or "": split_sections(r.converted.markdown) for r in results})
        model_markdown = join_sections(merged.model)
        overlays = merged.overlays
        for r in results:
            _counted(r, merged.counts[r.school or ""])
    elif existing is not None:
        model_markdown = None
        overlays = {}
        for r in results:
            overlays[r.school or ""], counts = overlays_against(split_sections(existing),
                                                                split_sections(r.converted.markdown))
            _counted(r, counts)
    else:
        model_markdown, overlays = first.markdown, {}
    if model_markdown is not None:
        files[f"{trust_folder}/policies/{policy_id}.md"] = _policy_file(first, model_markdown)
    for r in results:
        _school_entry(project, files, r, policy_id, overlays.get(r.school or "", []), request.force)
    if not any(r.school for r in results):
        _trust_entry(project, files, request, first, policy_id)
    _pictures(project, files, request, results)
    return files


def _counted(result: FileResult, counts: Counts) -> None:
    """The school's differences from the model; those no overlay can hold are items for a person."""
    result.sections_differing, result.words_differing = counts.sections, counts.words
    for section in counts.unplaced:
        where = f"the section '{section}'" if section else "the text before the first heading"
        result.converted.items.append(Item(
            "not-in-overlay", f"{where} of {result.school}'s copy differs from the model, and no overlay can say so",
            Place(1, section), f"write {result.school}'s wording into the model by hand, or give that text a "
                               "heading of its own so that an overlay can change it"))


def _existing_model(project: Project, request: ImportRequest, policy_id: str) -> str | None:
    """The body of the model the schools already see under this id (its overlays are then all that is new; to
    import a new model under the same id, remove the old one first)."""
    school = request.schools[0] if request.schools else None
    found = project.find_model(school, policy_id) if school else project.trust_policies.get(request.trust, {}).get(
        policy_id)
    if found is None:
        return None
    return "\n".join(line.text for line in found.body)


def _policy_file(converted: Converted, markdown: str) -> str:
    meta = yaml.safe_dump(converted.meta, sort_keys=False, allow_unicode=True, width=110)
    note = (f"# Imported from {converted.source} by policypress import: check the summary and every item the import "
            "listed.\n")
    return f"---\n{note}{meta}---\n{markdown}"


def _school_entry(project: Project, files: dict[str, str | bytes], result: FileResult, policy_id: str,
                  overlay: list[dict[str, str]], force: bool) -> None:
    if result.school is None:
        return
    source = project.schools[result.school].source
    value: dict[str, object] = {}
    if overlay:
        value["overlay"] = {"sections": overlay}
    approvals = _approvals(result.converted, school=True)
    if approvals:
        value["approvals"] = approvals
    text = files.get(source.path) or _read(project.root, source.path)
    files[source.path] = set_entry(str(text), "policies", policy_id, value or {}, replace=force)


def _trust_entry(project: Project, files: dict[str, str | bytes], request: ImportRequest, converted: Converted,
                 policy_id: str) -> None:
    approvals = [a for a in _approvals(converted, school=False) if a["by"] == "trust_board"]
    if not approvals:
        return
    path = project.trusts[request.trust].path
    text = _read(project.root, path)
    files[path] = set_entry(text or "", "policies", policy_id, {"approvals": approvals}, replace=request.force)


def _approvals(converted: Converted, school: bool) -> list[dict[str, str]]:
    return [dict(a) for a in converted.control.approvals if school or a["by"] == "trust_board"]


def _pictures(project: Project, files: dict[str, str | bytes], request: ImportRequest,
              results: list[FileResult]) -> None:
    school = request.schools[0] if request.schools and not request.model else None
    folder = f"schools/{request.trust}/{school}/images" if school else f"schools/{request.trust}/images"
    declared = files.get(f"{folder}/images.yml") or _read(project.root, f"{folder}/images.yml")
    text = str(declared or "pictures:\n")
    for r in results:
        for name, (data, alt) in sorted(r.converted.pictures.items()):
            files[f"{folder}/{name}"] = data
            if not has_entry(text, "pictures", name):
                text = set_entry(text, "pictures", name, {"alt": alt})
    if any(r.converted.pictures for r in results):
        files[f"{folder}/images.yml"] = text


def _read(root: Path, rel: str) -> str | None:
    """A project file through the project's reader (inside the tree, bounded, UTF-8); None when absent."""
    path = root / rel
    if not path.exists() and not path.is_symlink():
        return None
    try:
        return read_source(root, path, rel)
    except UnreadableFile as exc:
        raise SourceErrors([exc.problem]) from None


def _refuse_overwrites(request: ImportRequest, files: dict[str, str | bytes]) -> None:
    """A new file that is there already is overwritten only with --force (edited YAML files are checked by
    set_entry, which refuses an entry that is there already)."""
    if request.force:
        return
    taken = [rel for rel in sorted(files) if (request.root / rel).exists() and not rel.endswith(".yml")]
    if taken:
        raise UsageError(f"{', '.join(taken)} already exist(s) — run again with --force to replace, or choose "
                         "another --id")


# --- check before writing ---------------------------------------------------------------------------------

def _measuring_school(project: Project, request: ImportRequest, policy_id: str,
                      files: dict[str, str | bytes]) -> dict[str, str | bytes]:
    """For a trust's policy no school lists yet: list it at the trust's first school, in the copy only, so
    that it is rendered (with that school's facts) and measured."""
    if request.schools:
        return {}
    first = next((s for _, s in sorted(project.schools.items()) if s.trust == request.trust), None)
    if first is None:
        return {}
    text = str(files.get(first.source.path) or _read(project.root, first.source.path))
    if has_entry(text, "policies", policy_id):
        return {}
    return {first.source.path: set_entry(text, "policies", policy_id, {})}


def _stage(root: Path, files: dict[str, str | bytes]) -> Path:
    """A copy of the project with the files written: it must load and render (exit 2 otherwise)."""
    staged = Path(tempfile.mkdtemp(prefix="policypress-import-")) / "project"
    staged.mkdir()
    for part in PROJECT_PARTS:
        origin = root / part
        if origin.is_dir():
            shutil.copytree(origin, staged / part, symlinks=True)  # links stay links: refused there as here
        elif origin.is_file():
            shutil.copyfile(origin, staged / part)
    for rel, data in files.items():
        write_file(staged / rel, data)
    return staged


def _measure(staged: Path, request: ImportRequest, policy_id: str, results: list[FileResult]) -> None:
    """Load and render the staged project (its problems are the import's, exit 2) and each file's fidelity."""
    try:
        project = load_project(staged)
        rendered = {s.school.id: s for s in render_project(project)}
    except SourceErrors as exc:
        raise SourceErrors([Problem(p.path, p.line, f"the imported policy would not build: {p.what}", p.fix)
                            for p in exc.problems]) from None
    for result in results:
        school = rendered.get(result.school or "") or _any_school_with(rendered, policy_id)
        policy = next((p for p in school.policies if p.id == policy_id), None) if school else None
        markdown = policy.markdown if policy else result.converted.markdown
        title = policy.meta.title if policy else result.converted.title  # the page shows it above the text
        result.fidelity = fidelity(result.converted.word_text, f"{title}\n\n{markdown}")


def _any_school_with(rendered: dict[str, RenderedSchool], policy_id: str) -> RenderedSchool | None:
    return next((s for s in rendered.values() if any(p.id == policy_id for p in s.policies)), None)
