"""How well `check content` finds citations as real policies write them, measured on a corpus.

../shared/reference/policies/ holds three real school policies (read there, never copied into the
project), and tests/fixtures/citations/expected.yml every citation a careful reader finds in them
(written down by reading, not by running the tool). The finder (checks/citations.py) runs on every
line with the example's registry; a citation counts as found when its file, line, registry entry
and edition all match. Rows the reader marked `doubtful` are left out of both measures (a finder
may fairly find them or not) and reported apart.

Goal (issue 15): recall ≥ 95 %, precision ≥ 95 %. The figures are printed on every run and in
the README; every miss that remains is explained in MISSES below (the test fails on any other).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
import yaml

from conftest import REPO, reference_folder
from policypress.checks.citation_text import month_number
from policypress.checks.citations import Citation, CitationFinder, edition_verdict
from policypress.compose.load import load_project

CORPUS = REPO / "tests" / "fixtures" / "citations"
Key = tuple[str, int, str, str | None]  # file, line, entry, edition

B, C = "000_425056e941eef1a2.txt", "003_a889101b7d9936b4.txt"
# Every expected citation the finder does not find, and why it cannot (or should not) be found.
MISSES: dict[Key, str] = {
    (C, 22, "education-act-2002-s175", None):
        '"S175 of the 2020 Education Act": the Act is named by a wrong year (section 175 is in the Education Act '
        "2002); only a reader who knows the law can tell, and a finder that guessed would mislead",
    (C, 64, "prevent-duty", None):
        '"Statutory guidance on the Prevent duty": a description, not a title; "the Prevent duty" is the duty '
        "itself (the corpus uses it so on other lines), so it cannot stand for the guidance",
    (C, 78, "kcsie", None):
        '"Annex A in Keeping Children Safe": a title cut short; its first three words begin two registry titles '
        "(in education, in out-of-school settings), so which one is meant cannot be told",
    (C, 638, "digital-technology-standards", None):
        '"filtering and monitoring standards": a description in lower case, the same words as the duty it '
        "describes",
    (C, 651, "designated-teacher", "2009"):
        '"The Role and Responsibilities of the Designated Teacher": the 2009 title cut short (it goes on "for '
        'looked after children"); too short a part of it to match safely',
}
# Every citation found that the reader did not list, and why it stays.
EXTRA: dict[Key, str] = {
    (B, 306, "rshe", None):
        '"RSHE programme of study": the acronym names the subject here; RSHE is also how policies cite the '
        "guidance, and an acronym is kept as a citation",
    (C, 270, "children-missing-education", None):
        '"children missing from education guidance": a local authority\'s guidance (named just before), worded '
        "like the DfE's title with one word added",
    (C, 451, "rshe", None):
        '"the statutory Relationships Education, Relationship and Sex Education and Health Education curriculum": '
        "the subjects, in the guidance's own words and capitals",
}


@dataclass(frozen=True)
class Scores:
    expected: set[Key]
    found: set[Key]
    doubtful: set[Key]

    @property
    def true_positives(self) -> set[Key]:
        return self.expected & self.found

    @property
    def recall(self) -> float:
        return len(self.true_positives) / len(self.expected)

    @property
    def counted(self) -> set[Key]:
        """What was found, less what the reader marked doubtful (the same line and entry, any edition)."""
        doubtful = {k[:3] for k in self.doubtful}
        return {k for k in self.found if k[:3] not in doubtful or k in self.expected}

    @property
    def precision(self) -> float:
        return len(self.true_positives) / len(self.counted) if self.counted else 1.0


def _edition(value: object) -> str | None:
    return None if value is None else " ".join(str(value).split()).lower()


@pytest.fixture(scope="module")
def scores() -> Scores:
    rows = yaml.safe_load((CORPUS / "expected.yml").read_text(encoding="utf-8"))["citations"]
    keys = {(r["file"], r["line"], r["entry"], _edition(r["edition"])): bool(r.get("doubtful")) for r in rows}
    finder = CitationFinder(load_project(REPO).registry.model)
    found: set[Key] = set()
    for name in sorted({r["file"] for r in rows}):
        text = (reference_folder("policies") / name).read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            found |= {(name, number, c.entry_id, _edition(c.edition)) for c in finder.find(line)}
    doubtful = {k for k, d in keys.items() if d}
    return Scores({k for k, d in keys.items() if not d}, found, doubtful)


def test_recall_and_precision_on_the_corpus(scores: Scores, capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print(f"\ncitation corpus: {len(scores.expected)} citations (+{len(scores.doubtful)} doubtful), "
              f"{len(scores.counted)} found; recall {scores.recall:.1%}, precision {scores.precision:.1%}")
    assert scores.recall >= 0.95
    assert scores.precision >= 0.95


def test_every_miss_is_explained(scores: Scores) -> None:
    missed = scores.expected - scores.found
    assert sorted(missed - set(MISSES)) == [], "a citation is missed with no explanation in MISSES"
    assert sorted(set(MISSES) - missed) == [], "MISSES lists a citation that is now found: remove it"


def test_every_false_alarm_is_explained(scores: Scores) -> None:
    extra = scores.counted - scores.expected
    assert sorted(extra - set(EXTRA)) == [], "a citation is found that the reader did not list"
    assert sorted(set(EXTRA) - extra) == []


def test_stale_citations_in_the_corpus_are_old_edition_findings(scores: Scores,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Of the corpus's citations of an older edition, how many `check content` reports (the same measure)."""
    project = load_project(REPO)
    entries = project.registry.model.entries

    def stale(key: Key) -> bool:
        edition = key[3]
        if edition is None:
            return False
        parts = edition.split()
        citation = Citation(key[2], 0, 0, "", int(parts[-1]), month_number(parts[0]) if len(parts) > 1 else None)
        return edition_verdict(citation, entries[key[2]])[0] in ("old", "unclear")

    expected_stale = {k for k in scores.expected if stale(k)}
    found_stale = {k for k in scores.found if stale(k)}
    assert expected_stale, "the corpus cites older editions: the measure needs them"
    found_stale = {k for k in found_stale if k in scores.counted}
    recall = len(expected_stale & found_stale) / len(expected_stale)
    precision = len(expected_stale & found_stale) / len(found_stale)
    with capsys.disabled():
        print(f"\nstale citations: {len(expected_stale)} in the corpus, {len(found_stale)} reported; recall "
              f"{recall:.1%}, precision {precision:.1%}")
    assert recall >= 0.95, sorted(expected_stale - found_stale)
    assert precision >= 0.95, sorted(found_stale - expected_stale)
    assert Counter(k[2] for k in expected_stale)["kcsie"] >= 1
