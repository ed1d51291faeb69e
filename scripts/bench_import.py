"""scripts/bench, import part: 100 generated Word files of about 20 pages each, read and converted one by one
as `policypress import` does (the reader, document control, facts, citations, Markdown), then ten of them
imported for real into a copy of the example (--dry-run: staged, checked and measured, nothing kept).

Printed as rows: seconds per file (median and slowest) and in total. Goal: under 1 s per file.
"""

from __future__ import annotations

import random
import shutil
import statistics
import time
from pathlib import Path

import docx

TOPICS = ("Keeping children safe in education 2024", "the designated safeguarding lead", "Working Together to "
          "Safeguard Children 2018", "the school office", "early help", "online safety", "attendance", "behaviour")
WORDS = ("children", "staff", "parents", "school", "concern", "report", "support", "policy", "record", "safe",
         "learning", "listen", "share", "information", "procedure", "governors", "review", "training", "day")


def word_file(path: Path, seed: int, pages: int = 20) -> None:
    """A policy of about `pages` pages: headings (styles, bold paragraphs, numbers), lists, tables, links."""
    rng = random.Random(seed)  # noqa: S311 — made-up words for a benchmark, not a secret
    document = docx.Document()
    document.add_heading(f"Generated policy {seed}", level=0)
    table = document.add_table(rows=2, cols=4)
    for cell, text in zip(table.rows[0].cells + table.rows[1].cells,
                          ("Author", "Headteacher", "Approved by", "Full Governing Body",
                           "Last reviewed", "25/02/2025", "Review cycle", "Annually"), strict=True):
        cell.text = text
    for section in range(1, pages + 1):
        if section % 3 == 0:
            document.add_paragraph().add_run(f"{section}. Section about {rng.choice(WORDS)}").bold = True
        else:
            document.add_heading(f"{section}. Section about {rng.choice(WORDS)}", level=1)
        for _ in range(8):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 70)))
            document.add_paragraph(f"{words.capitalize()}, as {rng.choice(TOPICS)} sets out.")
        for _ in range(3):
            document.add_paragraph(" ".join(rng.choice(WORDS) for _ in range(12)), style="List Bullet")
        if section % 4 == 0:
            grid = document.add_table(rows=4, cols=3)
            for row in grid.rows:
                for cell in row.cells:
                    cell.text = " ".join(rng.choice(WORDS) for _ in range(4))
    document.save(str(path))


def import_bench(root: Path, tmp: Path, count: int = 100) -> list[tuple[str, str]]:
    """Rows for scripts/bench: the time to read and convert each generated file, and a real import of ten."""
    from policypress.checks.citations import CitationFinder
    from policypress.checks.links.settings import load_settings
    from policypress.compose.load import load_project
    from policypress.importer.convert import Tools, convert
    from policypress.importer.docx_reader import read_word_file
    from policypress.importer.facts import KnownFacts
    from policypress.importer.run import ImportRequest, run_import

    folder = tmp / "word"
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / f"policy-{n:03d}.docx" for n in range(count)]
    for n, path in enumerate(files):
        word_file(path, n)
    project = load_project(root)
    tools = Tools(KnownFacts.for_school(project, "hillcrest-primary"), CitationFinder(project.registry.model),
                  load_settings(root))
    seconds = []
    for path in files:
        start = time.perf_counter()
        convert(read_word_file(path), tools, path.stem)
        seconds.append(time.perf_counter() - start)
    copy = tmp / "project"
    for part in ("content", "schools", "approvals", "templates", "mkdocs.yml"):
        (shutil.copytree if (root / part).is_dir() else shutil.copyfile)(root / part, copy / part)
    start = time.perf_counter()
    for path in files[:10]:
        run_import(ImportRequest(copy, (path,), "oakfield-learning-trust", ("hillcrest-primary",), None, False,
                                 False, True))
    whole = (time.perf_counter() - start) / 10
    words = sum(len(p.text.split()) for p in docx.Document(str(files[0])).paragraphs)
    return [(f"import: {count} Word files (~{words // 450} pages, {words} words each), read + convert",
             f"{sum(seconds):.1f} s"),
            ("    per file: median / slowest", f"{statistics.median(seconds):.2f} s / {max(seconds):.2f} s"),
            ("    whole import --dry-run (staged, checked, measured), per file", f"{whole:.2f} s")]
