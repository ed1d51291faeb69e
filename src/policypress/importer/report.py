"""The import's report for a person to work from: the terminal, JSON and an HTML page (build/reports/import.html).

Per Word file: what was mapped (title, approver, review cycle, approvals, sections, pictures), the
fidelity figure (the words policypress renders for the school against the words of the Word file's
body) with the places that differ, and every item needing a person, with its place in the Word file.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from policypress.checks.report import REPORT_TEMPLATES, json_text, write_html
from policypress.core.files import write_file
from policypress.importer.run import FileResult, ImportResult

HTML_REPORT = Path("build") / "reports" / "import.html"


def summary_lines(result: ImportResult) -> list[str]:
    """One block per file, then what was (or would be) written."""
    lines = []
    for r in result.files:
        c, fid = r.converted, r.fidelity
        figure = f"{fid.percent:.1f} %" if fid else "not measured"
        school = f" for {r.school}" if r.school else ""
        lines.append(f"{c.source}{school}: \"{c.title}\" — fidelity {figure}; {len(c.items)} item(s) for a person; "
                     f"{len(c.control.approvals)} approval(s); {len(c.pictures)} picture(s)"
                     + (f"; {r.sections_differing} section(s) and {r.words_differing} word(s) differ from the model"
                        if r.school and (r.sections_differing or r.words_differing) else ""))
        lines += [f"  {item.kind}: {item.place.words()} — {item.what} — {item.fix}" for item in c.items]
        if fid and fid.differences:
            lines += [f"  differs: Word \"{d.word_file}\" / policypress \"{d.rendered}\" ({d.context})"
                      for d in fid.differences[:5]]
    verb = "Would write" if result.dry_run else "Wrote"
    lines.append(f"{verb} {len(result.written)} file(s): " + ", ".join(sorted(result.written)))
    return lines


def document(result: ImportResult) -> dict[str, object]:
    """{"policy", "dry_run", "written", "files": [{file, school, title, fidelity, sections_differing,
    words_differing, front_matter, approvals, pictures, items: [{kind, what, fix, paragraph, heading, context}],
    differences: [{word_file, rendered, context}]}]}."""
    return {"policy": result.policy_id, "dry_run": result.dry_run, "written": sorted(result.written),
            "files": [_file(r) for r in result.files]}


def _file(r: FileResult) -> dict[str, object]:
    c = r.converted
    return {"file": c.source, "school": r.school, "title": c.title,
            "fidelity": round(r.fidelity.percent, 2) if r.fidelity else None,
            "sections_differing": r.sections_differing, "words_differing": r.words_differing,
            "front_matter": c.meta, "approvals": c.control.approvals, "pictures": sorted(c.pictures),
            "items": [{"kind": i.kind, "what": i.what, "fix": i.fix, "paragraph": i.place.paragraph,
                       "heading": i.place.heading, "context": i.place.context} for i in c.items],
            "differences": [{"word_file": d.word_file, "rendered": d.rendered, "context": d.context}
                            for d in (r.fidelity.differences if r.fidelity else [])]}


def _template_root(root: Path) -> Path:
    """The project's report template, or, for a project made before the importer, the one policypress ships."""
    if (root / REPORT_TEMPLATES / "import.html.j2").is_file():
        return root
    return Path(str(resources.files("policypress") / "example"))


def write_reports(root: Path, result: ImportResult, json_file: str | Path | None) -> tuple[Path, str]:
    """The HTML page (always) and the JSON (to a file, or returned for standard output with '-')."""
    html = write_html(_template_root(root), "import.html.j2", root / HTML_REPORT, result=result)
    text = json_text(document(result))
    if json_file and str(json_file) != "-":
        write_file(Path(json_file), text)
    return html, text
