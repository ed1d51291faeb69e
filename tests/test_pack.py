"""The governors' pack: what needs a decision and why, what changed and where it came from, a page to decide on.

The issue's own tests: approve a policy, change a sentence of the model policy, the school's DSL
and a registry edition, and the pack shows exactly those changes, grouped by section, in
governors' words; approving again shows no change. On a copy of the example: the cover table
with the right pages, DRAFT over the flowchart (text and pixels), the decision boxes with the
next version filled in, a policy with content problems marked not ready, and no near-empty page.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from conftest import POLICY, SCHOOL
from tree_tools import copy_example, run

MakeProject = Callable[..., Path]
ALPHA = "schools/test-trust/alpha.yml"
SAFEGUARDING = "content/policies/safeguarding.md"
REGISTRY_FILE = "content/statutory.yml"
PACK = "build/governors/alpha/2026-11-25-governors-pack.pdf"
HILLCREST = "schools/oakfield-learning-trust/hillcrest-primary.yml"
EXAMPLE_PACK = "build/governors/hillcrest-primary/2026-12-10-governors-pack.pdf"
CHART_FILLS = {(0xff, 0xf2, 0xc4), (0xdc, 0xef, 0xe2), (0xe2, 0xeb, 0xf7)}  # outputs/diagrams.py BOXES


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


def page_texts(path: Path, layout: bool = False) -> list[str]:
    """Each page's text, in reading order (or as laid out), pages split at pdftotext's form feeds."""
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout.split("\f")[:-1]


def words(text: str) -> str:
    return " ".join(text.split())


def approve(root: Path, version: str) -> None:
    result = run(root, "approve", "--school", "alpha", "--policy", "safeguarding", "--by", "full_governing_body",
                 "--date", "2026-11-20", "--version", version, "--minute", f"FGB 2026-11 item {version}")
    assert result.returncode == 0, result.stderr


def pack(root: Path) -> str:
    result = run(root, "pack", "--school", "alpha", "--meeting", "2026-11-25")
    assert result.returncode == 0, result.stderr
    assert (root / PACK).is_file() and not (root / "build" / "site").exists()
    return pdf_text(root / PACK)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def assert_governors_words(text: str) -> None:
    """No file path, line number, raw key or command anywhere in the pack's text."""
    for never in ("content/", "schools/", ".md", ".yml", "policypress", "approvals/", "dsl contact", "deputy_dsl",
                  "{{", "fact:"):
        assert never not in text, never
    assert not re.search(r"\bline \d", text)


@pytest.fixture
def approved(make_project: MakeProject) -> Path:
    root = make_project()
    approve(root, "3.0")
    return root


def test_pack_shows_exactly_the_three_changes_in_governors_words_by_section(approved: Path) -> None:
    edit(approved, SAFEGUARDING, "All staff are trained every year.", "All staff and governors are trained every year.")
    edit(approved, ALPHA, "Dana Safe", "Robin Guard")
    edit(approved, REGISTRY_FILE, 'edition: "2025"', 'edition: "2026"')
    text = pack(approved)
    assert "1. Safeguarding policy Why it is here: Changed since version 3.0 was approved on 20 November 2026." in text
    assert ("3 changes: a contact changed (DSL); the statutory guidance changed (Keeping children safe in education "
            "2025 → 2026); the trust's model text.") in text
    changes = text[text.index("What has changed"):text.index("Full text for approval (draft)")]
    assert re.search(r"What to do page \d 1\. A contact changed: DSL Dana Safe → Robin Guard … children safe\. "
                     r"What to do Tell Dana Safe Robin Guard on 01632 960002 the same day\. … Training page \d 2\. "
                     r"The trust's model text … have no nursery\. Training All staff and governors are trained every "
                     r"year\. See Keeping … 3\. The statutory guidance changed: Keeping children safe in education "
                     r"2025 → 2026 … See Keeping children safe in education \(2025\)\. \(2026\)\. …", changes), changes
    assert_governors_words(text)


def test_after_approving_again_the_pack_shows_no_change(approved: Path) -> None:
    edit(approved, ALPHA, "Dana Safe", "Robin Guard")
    assert "A contact changed: DSL Dana Safe → Robin Guard" in pack(approved)
    approve(approved, "4.0")
    text = pack(approved)
    assert "No policy needs a decision at this meeting" in text
    assert "changed:" not in text and "Robin Guard" not in text


def test_pack_lists_every_reason_and_a_decision_to_record(make_project: MakeProject) -> None:
    never = POLICY.replace("title: Safeguarding policy", "title: Visitors policy")
    root = make_project({"content/policies/visitors.md": never,
                         ALPHA: SCHOOL.replace("policies:\n", "policies:\n  visitors: {}\n")
                         .replace("2026-09-10", "2025-12-01")})
    text = pack(root)
    assert "1. Safeguarding policy Why it is here: Review due by 1 December 2026, before the next meeting." in text
    assert "2. Visitors policy Why it is here: Never approved." in text
    assert "This policy has not been approved before: all of its text is new." in text
    assert "The text approved as version 2.0 was not kept, so the changes cannot be shown." in text
    assert text.count("Full text for approval (draft)") == 2
    assert "approved this policy" not in text  # nobody has voted yet
    boxes = "☐ Approved ☐ Approved with changes (the changes are recorded in the minutes) ☐ Not approved"
    assert text.count(boxes) == 2
    assert "Proposed version: 3.0 (the next whole number after version 2.0, approved on 1 December 2025)." in text
    assert "Proposed version: 1.0 (its first approved version)." in text
    for line in ("Decision: Visitors policy", "Minute reference", "Signed by the chair of governors",
                 "Signed by the headteacher, Alex Head"):
        assert line in text
    assert_governors_words(text)


def test_a_policy_with_content_problems_is_not_ready_for_approval(make_project: MakeProject) -> None:
    """What `approve` refuses (an old edition cited as text) is marked on the cover and the decision page."""
    old_edition = "All staff are trained every year, as Keeping children safe in education 2023 asks."
    root = make_project({SAFEGUARDING: POLICY.replace("All staff are trained every year.", old_edition),
                         ALPHA: SCHOOL.replace("2026-09-10", "2025-12-01")})  # due for review: in the pack
    refused = run(root, "approve", "--school", "alpha", "--policy", "safeguarding", "--by", "full_governing_body",
                  "--date", "2026-11-20")
    assert refused.returncode != 0 and "content problem" in refused.stderr
    pack(root)
    pages = [words(page) for page in page_texts(root / PACK)]
    assert "Not ready for approval: 1 problem to put right" in pages[0]
    assert ("Not ready for approval The text has 1 problem that must be put right before it can be approved. "
            "Governors can discuss it, but it cannot be approved as it stands. • In the trust's model text, "
            "\"Keeping children safe in education 2023\" cites the 2023 edition of \"Keeping children safe in "
            "education\"; the current edition is 2025, in force from 1 September 2025.") in pages[1]
    decision = pages[-1]
    assert "Not ready for approval. This policy cannot be approved as it stands" in decision
    assert "listed on page 2" in decision
    assert "☐ Approved" not in decision and "Proposed version" not in decision
    assert "☐ Not approved: to be put right and brought back ☐ Deferred to a later meeting" in decision
    assert_governors_words(" ".join(pages))


def test_the_draft_pages_carry_the_draft_mark_and_the_others_do_not(approved: Path) -> None:
    edit(approved, ALPHA, "Dana Safe", "Robin Guard")
    pack(approved)
    info = subprocess.run(["pdfinfo", str(approved / PACK)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    pages = page_texts(approved / PACK)
    assert "DRAFT" not in pages[0] and "DRAFT" not in pages[-1]  # not on the cover or the decision page
    assert all("DRAFT – 1. Safeguarding policy" in page for page in pages[1:-1])


def test_an_origins_file_that_is_broken_or_linked_out_only_loses_the_origins(tmp_path: Path) -> None:
    from policypress.compose.provenance import Word, words_json
    from policypress.governors.pack import approved_words

    root = tmp_path / "project"
    folder = root / "approvals" / "alpha" / "safeguarding"
    folder.mkdir(parents=True)
    snapshot = folder / "2026-09-10-v2.0.md"
    outside = tmp_path / "outside.json"
    outside.write_text(words_json([Word("Stolen", "line:x:1")]), encoding="utf-8")
    origins = folder / "2026-09-10-v2.0.origins.json"
    for broken in ('{"words": [[1, 2]]}', '{"words": 5}', "not json", None):
        origins.unlink(missing_ok=True)
        if broken is None:
            origins.symlink_to(outside)
        else:
            origins.write_text(broken, encoding="utf-8")
        assert approved_words(root, snapshot, "Tell Dana today.") == [Word("Tell", ""), Word("Dana", ""),
                                                                      Word("today.", "")]


# The example: Hillcrest's child protection policy approved under KCSIE 2024 with Karen Lowe as deputy
# DSL; since then a new edition, a new deputy, a sentence of the model text and of the school's own
# text. Its suspensions policy, due for review, cites an old edition as text: not ready.


@pytest.fixture(scope="module")
def example_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("pack") / "example")
    edit(root, REGISTRY_FILE, 'edition: "2025"\n    in_force: 2025-09-01', 'edition: "2024"\n    in_force: 2024-09-01')
    result = run(root, "approve", "--school", "hillcrest-primary", "--policy", "child-protection",
                 "--by", "full_governing_body", "--date", "2026-11-20", "--minute", "FGB 2026-11 item 3")
    assert result.returncode == 0 and "Recorded version 8.0" in result.stdout, result.stderr
    edit(root, REGISTRY_FILE, 'edition: "2024"\n    in_force: 2024-09-01', 'edition: "2025"\n    in_force: 2025-09-01')
    edit(root, HILLCREST, "Karen Lowe", "Daniel Osei")
    edit(root, HILLCREST, "          text: |\n            At Hillcrest,",
         "          text: |\n            Every class has a worry box, and the DSL reads it each week.\n\n"
         "            At Hillcrest,")
    edit(root, "content/policies/child-protection.md", "Stick to facts.", "Stick to facts, not opinions.")
    edit(root, "content/policies/suspensions-exclusions.md", "are really needed.",
         "are really needed, as KCSIE 2023 also says.")
    result = run(root, "pack", "--school", "hillcrest-primary", "--meeting", "2026-12-10",
                 "--next-meeting", "2027-06-01")  # the suspensions policy is due by then
    assert result.returncode == 0, result.stderr
    return root / EXAMPLE_PACK


def _page_of(pages: list[str], start: str) -> int:
    """The number of the first page whose text starts a line with `start`."""
    return next(n for n, page in enumerate(pages, start=1) if any(line.startswith(start) for line in page.splitlines()))


def test_the_cover_lists_each_policy_why_what_changed_and_its_page(example_pack: Path) -> None:
    pages, laid_out = page_texts(example_pack), page_texts(example_pack, layout=True)
    cover = words(pages[0])
    assert "Changed since version 8.0 was approved on 20 November 2026" in cover
    assert ("4 changes: a contact changed (deputy DSL); the statutory guidance changed (KCSIE 2024 → 2025); the "
            "trust's model text; our school's own text") in cover
    assert "Review due by 11 May 2027, before the next meeting" in cover
    assert "Not shown: the text approved as version 3.0 was not kept" in cover
    for number, title in ((1, "Suspensions and exclusions"), (2, "Child protection and safeguarding")):
        row = next(line for line in laid_out[0].splitlines() if line.strip().startswith(f"{number}. "))
        assert int(row.split()[-1]) == _page_of(pages, f"{number}. {title}") > 1, row
    assert f"Page 1 of {len(pages)}" in pages[0]  # the cover is numbered too


def test_changes_are_grouped_by_section_with_the_page_of_the_section(example_pack: Path) -> None:
    pages = page_texts(example_pack)
    start = _page_of(pages, "2. Child protection and safeguarding")
    text = words(" ".join(pages[start - 1:start + 1]))
    changes = text[text.index("What has changed"):text.index("Full text for approval (draft)")]
    groups = re.findall(r"(Key contacts|The law and guidance we follow|Recording and passing on a concern|Early help)"
                        r" page (\d+) (\d)\. ([^…]+) …", changes)
    assert [(g[0], g[2], g[3].strip()) for g in groups] == [
        ("Key contacts", "1", "A contact changed: deputy DSL Karen Lowe → Daniel Osei (the same change in 2 places)"),
        ("The law and guidance we follow", "2", "The statutory guidance changed: KCSIE 2024 → 2025"),
        ("Recording and passing on a concern", "3", "The trust's model text"),
        ("Early help", "4", "Our school's own text")]
    full_text = _page_of(pages[start - 1:], "Full text for approval (draft)") + start - 1
    for heading, page, *_ in groups:
        assert int(page) >= full_text and heading in pages[int(page) - 1].splitlines(), (heading, page)
    assert "Deputy designated safeguarding lead Karen Lowe Daniel Osei 020 7946 0303" in changes


def test_the_pack_is_in_governors_words(example_pack: Path) -> None:
    assert_governors_words(pdf_text(example_pack))


def test_decision_pages_record_a_decision_with_the_next_version(example_pack: Path) -> None:
    pages = [words(page) for page in page_texts(example_pack)]
    decisions = [page for page in pages if "Decision: " in page]
    assert len(decisions) == 2
    suspensions, child_protection = decisions
    assert "Hillcrest Primary School: for decision by the full governing body at the meeting on 10 December 2026." \
        in child_protection
    assert "Proposed version: 9.0 (the next whole number after version 8.0, approved on 20 November 2026)." \
        in child_protection
    assert ("Record the decision: tick one. ☐ Approved ☐ Approved with changes (the changes are recorded in the "
            "minutes) ☐ Not approved Minute reference Signed by the chair of governors, Nikhil Sharma Date Signed by "
            "the headteacher, Robert Ainsley Date") in child_protection
    assert "☐ Approved" not in suspensions and "cannot be approved as it stands" in suspensions
    assert "approved this policy" not in " ".join(pages)


def test_a_policy_with_content_problems_is_marked_not_ready_on_the_cover_and_its_pages(example_pack: Path) -> None:
    pages = [words(page) for page in page_texts(example_pack)]
    cover = pages[0]
    assert cover.index("Not ready for approval: 1 problem to put right") < cover.index("2. Child protection")
    assert cover.count("Not ready for approval") == 1
    assert ("In the trust's model text, \"KCSIE 2023\" cites the 2023 edition of \"Keeping children safe in "
            "education\"; the current edition is 2025") in pages[1]


def test_draft_is_on_every_page_of_the_draft_text_and_over_every_flowchart(example_pack: Path, tmp_path: Path) -> None:
    pages = page_texts(example_pack)
    draft = [n for n, page in enumerate(pages) if "Decision: " not in page][1:]
    assert all("DRAFT – " in pages[n] for n in draft)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(example_pack), str(tmp_path / "page")], check=True)
    charts = 0
    for number, png in enumerate(sorted(tmp_path.glob("page*.png")), start=1):
        image = Image.open(png).convert("RGB")
        pixels = list(zip(*[iter(image.tobytes())] * 3, strict=True))
        fill = [i for i, pixel in enumerate(pixels) if pixel in CHART_FILLS]
        if len(fill) < 500:
            continue  # no flowchart on this page
        charts += 1
        assert number - 1 in draft, number
        xs, ys = [i % image.width for i in fill], [i // image.width for i in fill]
        inside = [pixels[y * image.width + x] for y in range(min(ys), max(ys)) for x in range(min(xs), max(xs))]
        red = sum(1 for pixel in inside if _reddish(pixel))
        assert red > 200, f"page {number}: the DRAFT mark shows inside the chart ({red} red pixels)"
    assert charts == 2  # child protection's two flowcharts


def _reddish(pixel: tuple[int, int, int]) -> bool:
    """Clearly the DRAFT mark's red over the chart: far redder than the chart's near-black, white or pale fills."""
    r, g, b = pixel
    return r > 170 and r - g > 50 and r - b > 50


def test_no_page_holds_a_lone_sentence(example_pack: Path) -> None:
    """Every page but the decision pages carries more than a few lines (header and footer not counted)."""
    for number, page in enumerate(page_texts(example_pack), start=1):
        body = [line for line in page.splitlines() if line.strip() and not line.startswith(
            ("Hillcrest Primary School", "Governors' pack for the meeting", "Page ", "DRAFT – "))]
        if "Decision: " not in page:
            assert len(" ".join(body).split()) >= 40, (number, body)
