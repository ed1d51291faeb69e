"""Where WeasyPrint's time goes on our print documents, and what a worker could share between them.

Profiles (cProfile) raw WeasyPrint rendering the example's public policies, one new document at a
time as WeasyPrint's documentation shows it, and splits the time by WeasyPrint's stages. Only the
per-document set-up (the font configuration, parsing the stylesheet and the images) could be
shared across documents; the rest is the document's own work.

    .venv/bin/python scripts/profile_pdf.py --root . [--documents 10]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import print_rows, raw_weasyprint

from policypress.compose.load import load_project
from policypress.compose.render import render_project
from policypress.outputs.diagrams import draw_schools
from policypress.outputs.pdf import print_css, print_environment, print_html
from policypress.publish.build import online_url

# (stage, file ending, function): cumulative time of that function, summed over its calls.
STAGES = [
    ("computed styles (the cascade)", "weasyprint/css/__init__.py", "get_all_computed_styles"),
    ("box tree", "weasyprint/formatting_structure/build.py", "build_formatting_structure"),
    ("layout (pages, lines, tables)", "weasyprint/layout/__init__.py", "layout_document"),
    ("drawing the pages", "weasyprint/draw/__init__.py", "draw_page"),
    ("tags (PDF/UA structure)", "weasyprint/pdf/tags.py", "add_tags"),
    ("writing the PDF file (pydyf)", "pydyf/__init__.py", "write"),
    ("font subsetting", "weasyprint/pdf/fonts.py", "subset"),
    ("font configuration (shareable)", "weasyprint/text/fonts.py", "__init__"),
]


def documents(root: Path, count: int) -> list[str]:
    project = load_project(root)
    schools = render_project(project)
    drawings = draw_schools(schools, root / "build" / ".cache" / "svg")
    env = print_environment(root / "templates")
    found = [print_html(env, school, policy, online_url(school, f"policies/{policy.id}.html"), False,
                        drawings.get(school.school.id)) for school in schools for policy in school.public_policies]
    return found[:count]


def stage_seconds(stats: pstats.Stats) -> dict[str, float]:
    table = stats.stats  # type: ignore[attr-defined]  # pstats keeps it there: (file, line, name) → figures
    found = {}
    for stage, ending, name in STAGES:
        found[stage] = sum(figures[3] for (path, _line, func), figures in table.items()
                           if func == name and path.endswith(ending))
    return found


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--documents", type=int, default=10)
    args = parser.parse_args()
    docs = documents(args.root, args.documents)
    raw_weasyprint(docs[0], args.root)  # imports and first-use costs paid before the profile
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    for html in docs:
        raw_weasyprint(html, args.root)
    profile.disable()
    wall = time.perf_counter() - start
    stats = pstats.Stats(profile)
    total = sum(figures[3] for (path, _l, func), figures in stats.stats.items()  # type: ignore[attr-defined]
                if func == "write_pdf" and path.endswith("weasyprint/__init__.py"))
    env = print_environment(args.root / "templates")
    import weasyprint

    css = min(_timed(lambda: weasyprint.CSS(string=print_css(env))) for _ in range(5))
    rows = [("documents / wall time (profiled)", f"{len(docs)} / {wall:.1f} s"),
            ("write_pdf, cumulative (100 %)", f"{total:.1f} s")]
    rows += [(stage, f"{seconds:.2f} s ({100 * seconds / total:.1f} %)")
             for stage, seconds in stage_seconds(stats).items()]
    rows.append(("parsing print.css once (shareable)", f"{css * 1000:.0f} ms a document "
                 f"({100 * css * len(docs) / total:.1f} %)"))
    print_rows(rows)


if __name__ == "__main__":
    main()
