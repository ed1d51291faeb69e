"""scripts/bench_peer.py: the stack a trust would otherwise assemble, timed beside policypress.

One MkDocs project per school: the pages policypress renders for that school, with the school's
facts (its name, its contacts' names, phones and emails, its trust and local authority) turned back
into `{{ school.name }}`-style variables that mkdocs-macros-plugin fills in from a facts.yml beside
mkdocs.yml; Material for the theme (the example's features and palette); mkdocs-to-pdf for the
print copy. That plugin makes one untagged PDF of the whole site per school, not one tagged PDF per
policy as policypress does.

MkDocs has no incremental build: a build writes every page again, so "unchanged" is simply the
same build run again. Nothing is fetched from the internet: the theme's `font: false` keeps Google
Fonts out of the pages, mkdocs-to-pdf compiles its own stylesheets from its package, reads the
site's stylesheets and pictures from the built site (file: addresses), and `render_js` (headless
Chrome) stays off.

    .venv/bin/python scripts/bench_peer.py --root /work/main --schools 4 --jobs 2
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

import yaml

from policypress.compose.load import load_project
from policypress.compose.render import RenderedSchool, render_project
from policypress.compose.wording import markdown_text
from policypress.outputs.diagrams import draw_schools
from policypress.outputs.pages import logo_name, navigation, school_pages, site_environment
from policypress.outputs.pictures import write_pictures

PDF_SWITCH = "PEER_PDF"  # mkdocs-to-pdf's enabled_if_env: "1" (peer_build's default) makes the PDF
FACTS = "facts.yml"
# Jinja comments would clash with attr_list's `{#id}` in the pages; no page contains these.
MACROS = {"include_yaml": [FACTS], "on_error_fail": True,
          "j2_comment_start_string": "{##!", "j2_comment_end_string": "!##}"}
EXTENSIONS: list[Any] = ["attr_list", "admonition", "tables", "def_list", "md_in_html",
                         {"toc": {"permalink": False, "toc_depth": 3}}]
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def facts(school: RenderedSchool) -> dict[str, Any]:
    """What the peer keeps in facts.yml: the values policypress prints from the school's files."""
    contacts = {role: {k: v for k, v in {"name": c.name, "title": c.title, "phone": c.phone,
                                           "email": c.email}.items() if v}
                for role, c in sorted(school.contacts.items())}
    return {"school": {"name": school.school.name, "urn": school.school.urn, "town": school.school.address.town},
            "trust": {"name": school.trust.name}, "local_authority": {"name": school.authority.name},
            "contacts": contacts}


def variables(found: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Each fact's value → its variable ('Fatima Begum' → 'contacts.dsl.name'); the first name wins."""
    flat: dict[str, str] = {}
    for key, value in found.items():
        if isinstance(value, dict):
            for text, name in variables(value, f"{prefix}{key}.").items():
                flat.setdefault(text, name)
        elif len(str(value)) >= 4:  # short values ("12") would replace digits inside other words
            flat.setdefault(str(value), f"{prefix}{key}")
    return flat


def as_macros(page: str, found: dict[str, str]) -> str:
    """The page with every fact printed in its body (as policypress escaped it, or as written) written
    back as `{{ variable }}`. The front matter stays as it is: MkDocs reads it before macros runs."""
    head = FRONT_MATTER.match(page)
    top, body = (page[:head.end()], page[head.end():]) if head else ("", page)
    for text in sorted(found, key=len, reverse=True):  # longest first: a name before its first word
        for form in dict.fromkeys((str(markdown_text(text)), text)):
            body = body.replace(form, "{{ " + found[text] + " }}")
    return top + body


def config(school: RenderedSchool, statutory: bool) -> dict[str, Any]:
    """The school's mkdocs.yml: Material as the example sets it up, search, macros and to-pdf."""
    theme: dict[str, Any] = {"name": "material", "language": "en", "font": False,
                             "features": ["navigation.sections", "navigation.top", "toc.follow", "search.highlight"],
                             "palette": {"scheme": "default", "primary": "custom", "accent": "custom"}}
    logo = logo_name(school)
    if school.logo and logo:
        theme["logo"] = logo
    pdf = {"enabled_if_env": PDF_SWITCH, "output_path": f"pdf/{school.school.id}.pdf",
           "cover_title": school.school.name, "cover_subtitle": "Policies", "author": school.trust.name}
    return {"site_name": school.school.name, "use_directory_urls": False, "theme": theme,
            "extra_css": ["assets/school.css"], "markdown_extensions": EXTENSIONS,
            "nav": navigation(school, statutory), "extra": {"generator": False},
            "plugins": ["search", {"macros": MACROS}, {"to-pdf": pdf}]}


def make_peer(src: Path, dest: Path) -> list[Path]:
    """One MkDocs project per school of the policypress project at src, in dest/<school id>/; their mkdocs.yml."""
    project = load_project(src)
    requirements = project.requirements.model if project.requirements else None
    rendered = render_project(project)
    drawings = draw_schools(rendered, dest / ".cache" / "svg")  # the same flowchart pictures as policypress's
    env = site_environment(src / "templates")
    configs = []
    for school in rendered:
        sid = school.school.id
        where, found = dest / sid, facts(school)
        names = variables(found)
        for name, text in school_pages(env, school, {}, drawings.get(sid), requirements).items():
            target = where / "docs" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(as_macros(text, names) if name.endswith(".md") else text, encoding="utf-8")
        logo = logo_name(school)
        if school.logo and logo:
            shutil.copyfile(school.logo, where / "docs" / logo)
        write_pictures(where / "docs", school)
        (where / FACTS).write_text(yaml.safe_dump(found, sort_keys=False, allow_unicode=True), encoding="utf-8")
        (where / "mkdocs.yml").write_text(yaml.safe_dump(config(school, requirements is not None), sort_keys=False,
                                                         allow_unicode=True), encoding="utf-8")
        configs.append(where / "mkdocs.yml")
    return configs


def peer_build(configs: list[Path], jobs: int = 2, pdf: bool = True) -> float:
    """Build every config with `python -m mkdocs build`, `jobs` processes at a time; the seconds taken.

    A new build starts as soon as one ends. A build that fails raises RuntimeError with its output
    (not -q: with it, mkdocs-macros' reason is lost). pdf=False switches mkdocs-to-pdf off (its enabled_if_env).
    """
    env = {**os.environ, PDF_SWITCH: "1" if pdf else "0", "NO_MKDOCS_2_WARNING": "1"}
    waiting = list(configs)
    running: list[tuple[Path, subprocess.Popen[bytes], IO[str]]] = []
    with tempfile.TemporaryDirectory(prefix="peer-logs-") as logs:
        start = time.perf_counter()
        try:
            while waiting or running:
                while waiting and len(running) < max(1, jobs):
                    cfg = waiting.pop(0)
                    out = (Path(logs) / f"{len(waiting)}.log").open("w+", encoding="utf-8")  # a file: no pipe to fill
                    running.append((cfg, subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-f", str(cfg)],
                                                          env=env, stdout=out, stderr=subprocess.STDOUT), out))
                ended = [run for run in running if run[1].poll() is not None]
                if not ended:
                    time.sleep(0.01)
                for cfg, proc, log in ended:
                    running.remove((cfg, proc, log))
                    log.seek(0)
                    output = log.read()
                    log.close()
                    if proc.returncode:
                        raise RuntimeError(f"mkdocs build -f {cfg} failed (exit {proc.returncode}):\n{output[-8000:]}")
        finally:
            for _, left, left_out in running:
                left.kill()
                left.wait()
                left_out.close()
        return time.perf_counter() - start


def change_dsl(config_path: Path, name: str = "Jordan Peerless") -> None:
    """What the trust edits for one school's new designated safeguarding lead: one line of its facts.yml."""
    path = config_path.parent / FACTS
    found = yaml.safe_load(path.read_text(encoding="utf-8"))
    found["contacts"]["dsl"]["name"] = name
    path.write_text(yaml.safe_dump(found, sort_keys=False, allow_unicode=True), encoding="utf-8")


def peer_bench(src: Path, tmp: Path, jobs: int) -> dict[str, float]:
    """Seconds for the peer's cold build, the same build again, and after one school's DSL changes.

    cold: every school's site and PDF, none built before. unchanged: every school again (MkDocs
    has no incremental build, so it rebuilds everything). one_change: the first school's DSL name
    changed in its facts.yml, then only that school's site is rebuilt: the fairest reading for the
    peer, as a trust with one MkDocs project per school knows which project it edited (rebuilding
    every school would make the figure about as large as unchanged). The pages are made before
    any timing starts.
    """
    configs = make_peer(src, tmp)
    cold = peer_build(configs, jobs)
    unchanged = peer_build(configs, jobs)
    change_dsl(configs[0])
    one_change = peer_build(configs[:1], jobs)
    return {"cold": cold, "unchanged": unchanged, "one_change": one_change}


def pdf_pages(configs: list[Path]) -> tuple[int, int]:
    """How many PDFs the peer wrote, and their pages (pdfinfo)."""
    pdfs = sorted(p for cfg in configs for p in (cfg.parent / "site" / "pdf").glob("*.pdf"))
    pages = 0
    for pdf in pdfs:
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        found = re.search(r"^Pages:\s+(\d+)", info, re.M)
        pages += int(found.group(1)) if found else 0
    return len(pdfs), pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, required=True, help="a policypress project (the example)")
    parser.add_argument("--schools", type=int, default=4,
                        help="schools in all: the project's, plus clones of one (bench.py's make_trust) up to this")
    parser.add_argument("--jobs", type=int, default=2, help="MkDocs builds at a time")
    parser.add_argument("--keep", type=Path, help="build here and keep it, instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="policypress-peer-") as tmpname:
        tmp = args.keep or Path(tmpname)
        root = args.root
        existing = len(load_project(root).schools)
        if args.schools > existing:
            from bench import make_trust  # scripts/ is on sys.path when this file runs as a script

            root = tmp / "src"
            make_trust(args.root, root, args.schools - existing)
        times = peer_bench(root, tmp / "peer", args.jobs)
        configs = sorted((tmp / "peer").glob("*/mkdocs.yml"))
        pdfs, pages = pdf_pages(configs)
        filled = sum(md.read_text(encoding="utf-8").count("{{") for cfg in configs for md in cfg.parent.rglob("*.md"))
        print(f"peer ({len(configs)} schools, --jobs {args.jobs}): cold {times['cold']:.1f} s, "
              f"unchanged {times['unchanged']:.1f} s, one change (that school only) {times['one_change']:.1f} s; "
              f"{pdfs} PDFs (one per school, untagged), {pages} pages; {filled} facts filled in by macros")


if __name__ == "__main__":
    main()
