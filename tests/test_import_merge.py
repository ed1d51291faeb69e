"""policypress import: several schools' copies of one policy → one model plus each school's overlay
(importer/merge.py), and the fidelity figure (importer/fidelity.py).

The copies are generated here (facts already placeholders); the overlays found are applied by the
real overlay code, through a small project rendered with compose.render, and must give each copy back.
"""

from __future__ import annotations

import random
import re
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import SCHOOL
from policypress.compose.load import load_project
from policypress.compose.render import render_project
from policypress.importer.fidelity import MAX_LISTED, fidelity
from policypress.importer.merge import (
    Counts,
    Section,
    join_sections,
    merge_copies,
    overlays_against,
    slug,
    split_sections,
)
from policypress.source.school_schema import SectionChange
from policypress.source.sections import apply_change, lines_from

MakeProject = Callable[..., Path]

SHARED_WORDS = ["pupils", "staff", "adults", "kind", "safe", "report", "listen", "record", "parents", "respond",
                "week", "help", "class", "talk", "trust", "follow", "learn", "play", "calm", "notice", "worry",
                "write", "share", "meet", "agree", "plan", "check"]
OTHER_WORDS = ["breakfast", "toast", "cereal", "juice", "clubroom", "morning", "volunteers", "rota"]


def generator(seed: int) -> random.Random:
    """Made-up test text from a fixed seed: the same every run."""
    return random.Random(seed)  # noqa: S311 - test data, not secrets


def prose(seed: int, count: int, vocabulary: list[str] = SHARED_WORDS) -> str:
    """count words of made-up text (no punctuation but a full stop, so words are easy to count)."""
    rng = generator(seed)
    words = [rng.choice(vocabulary) for _ in range(count)]
    return " ".join(words).capitalize() + "."


def section(level: int, heading: str, section_id: str, body: str) -> str:
    return f"{'#' * level} {heading} {{#{section_id}}}\n\n{body}\n\n"


OPENING = "At {{ school.name }} " + prose(1, 20) + "\n\n"
AIMS = section(2, "Aims", "aims", prose(2, 40))
DEFINITION = section(2, "What bullying is", "definition", prose(3, 60))
REPORTING = section(2, "Reporting", "reporting", "Talk to {{ contact(\"dsl\").name }}. " + prose(4, 30))
ONLINE = section(3, "Online", "online", prose(5, 25))
IN_PERSON = section(3, "In person", "in-person", prose(6, 25))
RESPONDING = section(2, "Responding", "responding", prose(7, 50))
RECORDS = section(2, "Records", "records", prose(8, 30))
REVIEW = section(2, "Review", "review", "{{ school.name }} " + prose(9, 20))
SHARED = OPENING + AIMS + DEFINITION + REPORTING + ONLINE + IN_PERSON + RESPONDING + RECORDS + REVIEW

BREAKFAST_TEXT = prose(10, 35, OTHER_WORDS)
BREAKFAST = section(2, "Breakfast club", "breakfast-club", BREAKFAST_TEXT)  # alpha's own section
RECORDS_EXTRA = prose(11, 15, OTHER_WORDS)  # alpha adds this at the end of Records
NEW_DEFINITION = prose(12, 45, OTHER_WORDS)  # beta's own definition
LOCAL_TEXT = prose(13, 18, OTHER_WORDS)
LOCAL = section(3, "Local arrangements", "local-arrangements", LOCAL_TEXT)  # gamma: first under Reporting
REVIEW_FIRST = prose(14, 12, OTHER_WORDS)  # gamma adds this at the start of Review

COPIES = {
    "alpha": SHARED.replace(RECORDS, RECORDS.rstrip("\n") + f"\n\n{RECORDS_EXTRA}\n\n")
                   .replace(RESPONDING, RESPONDING + BREAKFAST),
    "beta": SHARED.replace(AIMS, "").replace(DEFINITION, section(2, "What bullying is", "definition",
                                                                 NEW_DEFINITION)),
    "gamma": SHARED.replace(REPORTING, REPORTING + LOCAL)
                   .replace(REVIEW, REVIEW.replace("{{ school.name }}", f"{REVIEW_FIRST}\n\n{{{{ school.name }}}}")),
}
NAMES = {"alpha": "Alpha Primary School", "beta": "Beta Primary School", "gamma": "Gamma Primary School"}

FRONT_MATTER = """\
---
title: Anti-bullying policy
summary: How we prevent bullying and respond to it.
category: Behaviour
statutory: true
approver: full_governing_body
review_cycle: annually
owner: headteacher
---
"""


def words_in(*texts: str) -> int:
    return sum(len(t.split()) for t in texts)


def merged_copies() -> dict[str, list[Section]]:
    return {school: split_sections(text) for school, text in COPIES.items()}


def test_split_and_join_give_the_text_back() -> None:
    for text in [SHARED, *COPIES.values(), "", "No headings at all.\n", "## Only {#only}\n"]:
        assert join_sections(split_sections(text)) == text
    found = split_sections(SHARED)
    assert [(s.id, s.level) for s in found] == [
        ("", 0), ("aims", 2), ("definition", 2), ("reporting", 2), ("online", 3), ("in-person", 3),
        ("responding", 2), ("records", 2), ("review", 2)]
    assert found[2].heading == "What bullying is"
    assert found[2].body == DEFINITION.split("\n", 1)[1] == f"\n{prose(3, 60)}\n\n"


def test_headings_without_ids_get_stable_unique_slugs() -> None:
    text = "## 5.1. Reporting bullying\n\nA.\n\n## Procedures\n\nB.\n\n### Procedures\n\nC.\n\n## Où aller?\n"
    assert [s.id for s in split_sections(text)] == ["", "reporting-bullying", "procedures", "procedures-2",
                                                    "ou-aller"]
    assert split_sections(text) == split_sections(text)
    assert "```\n## not a heading\n```" in join_sections(split_sections("Intro\n```\n## not a heading\n```\n"))


def test_the_model_is_the_text_most_schools_share() -> None:
    merged = merge_copies(merged_copies())
    assert join_sections(merged.model) == SHARED.rstrip("\n") + "\n"
    assert merge_copies(merged_copies()) == merged  # deterministic


def test_each_schools_overlay_holds_only_its_differences() -> None:
    overlays = merge_copies(merged_copies()).overlays
    assert overlays["alpha"] == [
        {"section": "responding", "action": "insert_after", "text": BREAKFAST.rstrip("\n") + "\n"},
        {"section": "records", "action": "append", "text": RECORDS_EXTRA + "\n"},
    ]
    assert overlays["beta"] == [
        {"section": "aims", "action": "remove"},
        {"section": "definition", "action": "replace", "text": NEW_DEFINITION + "\n"},
    ]
    # New first subsection: 'append' lands after the existing subsections, so they go and come back after it.
    assert overlays["gamma"] == [
        {"section": "online", "action": "remove"},
        {"section": "in-person", "action": "remove"},
        {"section": "reporting", "action": "append", "text": (LOCAL + ONLINE + IN_PERSON).rstrip("\n") + "\n"},
        {"section": "review", "action": "prepend", "text": REVIEW_FIRST + "\n"},
    ]


def test_the_counts_say_how_many_sections_and_words_differ() -> None:
    counts = merge_copies(merged_copies()).counts
    assert counts["alpha"] == Counts(2, words_in("Breakfast club", BREAKFAST_TEXT, RECORDS_EXTRA))
    # A changed stretch counts its longer side: the model's 60 words of definition, not beta's 45.
    assert counts["beta"] == Counts(2, words_in("Aims", prose(2, 40)) + max(60, words_in(NEW_DEFINITION)))
    assert counts["gamma"] == Counts(2, words_in("Local arrangements", LOCAL_TEXT, REVIEW_FIRST))


def test_a_section_only_a_minority_has_stays_out_of_the_model() -> None:
    copies = merged_copies()
    copies["delta"] = split_sections(COPIES["alpha"])  # two of four now have the breakfast club
    merged = merge_copies(copies)
    assert "breakfast-club" in [s.id for s in merged.model]  # half is enough
    assert {"section": "breakfast-club", "action": "remove"} in merged.overlays["beta"]
    copies["epsilon"] = split_sections(SHARED)
    assert "breakfast-club" not in [s.id for s in merge_copies(copies).model]  # two of five is not


def test_ties_go_to_the_first_school() -> None:
    first, second = (split_sections(SHARED.replace(RECORDS, section(2, "Records", "records", w)))
                     for w in ("First wording.", "Second wording."))
    assert "First wording." in join_sections(merge_copies({"x": first, "y": second}).model)
    assert "Second wording." in join_sections(merge_copies({"y": second, "x": first}).model)


def test_overlays_against_an_existing_model() -> None:
    model = split_sections(SHARED)
    changes, _ = overlays_against(model, split_sections(COPIES["beta"]))
    assert changes == merge_copies(merged_copies()).overlays["beta"]
    assert overlays_against(model, split_sections(SHARED)) == ([], Counts(0, 0))


def test_what_an_overlay_cannot_say_is_reported() -> None:
    """The opening text has no id and nothing comes before the first heading: both are named."""
    text = "Another opening.\n\n" + section(2, "Before", "before", "New.") + SHARED.removeprefix(OPENING)
    changes, counts = overlays_against(split_sections(SHARED), split_sections(text))
    assert changes == []
    assert counts.unplaced == ("", "before")


def test_changed_and_moved_sections_and_emptied_bodies() -> None:
    model = split_sections(SHARED)
    moved = SHARED.replace(AIMS, "").replace(REVIEW, REVIEW + AIMS)
    assert overlays_against(model, split_sections(moved))[0] == [
        {"section": "aims", "action": "remove"},
        {"section": "review", "action": "insert_after", "text": AIMS.rstrip("\n") + "\n"}]
    emptied = SHARED.replace(RECORDS, "## Records {#records}\n\n")
    assert overlays_against(model, split_sections(emptied))[0] == [
        {"section": "records", "action": "remove"},
        {"section": "responding", "action": "insert_after", "text": "## Records {#records}\n"}]
    reworded = SHARED.replace(REPORTING, section(2, "Reporting", "reporting", "Tell us."))
    assert overlays_against(model, split_sections(reworded))[0] == [
        {"section": "reporting", "action": "replace",
         "text": "Tell us.\n\n" + (ONLINE + IN_PERSON).rstrip("\n") + "\n"}]


def school_file(school: str, changes: list[dict[str, str]]) -> str:
    entry = {"approvals": [{"date": "2026-09-10", "by": "full_governing_body", "version": "1.0"}],
             "overlay": {"sections": changes}}
    text = SCHOOL.replace("alpha", school).replace("Alpha", school.capitalize())
    return text + textwrap.indent(yaml.safe_dump({"anti-bullying": entry}, sort_keys=False), "  ")


def rendered_text(root: Path, school: str) -> str:
    rendered = render_project(load_project(root), [school])[0]
    policy = next(p for p in rendered.policies if p.id == "anti-bullying")
    return re.sub(r"\n{3,}", "\n\n", policy.markdown).strip("\n")


def filled(copy: str, school: str) -> str:
    """The copy as the school's Word file reads: its name and contact in place of the placeholders."""
    return copy.replace("{{ school.name }}", NAMES[school]).replace('{{ contact("dsl").name }}', "Dana Safe")


def test_the_model_and_overlays_recreate_each_copy(make_project: MakeProject) -> None:
    merged = merge_copies(merged_copies())
    files = {"content/policies/anti-bullying.md": FRONT_MATTER + join_sections(merged.model)}
    files |= {f"schools/test-trust/{school}.yml": school_file(school, changes)
              for school, changes in merged.overlays.items()}
    root = make_project(files)
    for school, copy in COPIES.items():
        got = rendered_text(root, school)
        score = fidelity(filled(copy, school), got)
        print(f"{school}: {len(merged.overlays[school])} changes, {merged.counts[school]}, "
              f"fidelity {score.percent:.2f} %")
        assert got == filled(copy, school).strip("\n")
        assert score.percent == 100.0


def test_fidelity_of_identical_texts_is_100() -> None:
    text = filled(SHARED, "alpha")
    score = fidelity(text, text)
    assert (score.percent, score.differences, score.total_differences) == (100.0, [], 0)
    assert fidelity("", "").percent == 100.0
    assert fidelity("Some words.", "").percent == 0.0


def test_fidelity_ignores_markdown_syntax() -> None:
    word_file = ("Reporting bullying\n\nTell Dana Safe on 01632 960002, or read the guidance. Footnote here\n"
                 "Who What\nDSL Dana Safe\nFirst point\nSecond point\nSchool\u2019s rules: be kind")  # a smart quote
    rendered = ("## Reporting bullying {#reporting}\n\nTell **Dana Safe** on *01632 960002*, or read "
                "[the guidance](https://www.example.org/guidance).[^1] Footnote here\n\n"
                "| Who | What |\n|---|---|\n| DSL | Dana<br>Safe |\n\n- First point\n1. Second point\n\n"
                "---\n\nSchool's rules: be kind")
    assert fidelity(word_file, rendered).percent == 100.0


def test_one_changed_word_in_100_lowers_fidelity_by_about_1_percent() -> None:
    word_file = prose(20, 100)
    words = word_file.rstrip(".").split()
    words[50] = "different"
    score = fidelity(word_file, " ".join(words) + ".")
    assert score.percent == pytest.approx(99.0, abs=0.01)
    assert score.total_differences == 1
    [difference] = score.differences
    assert difference.rendered == "different"
    assert difference.word_file == word_file.split()[50]
    assert difference.context == " ".join(word_file.split()[44:50])


def test_differences_are_listed_with_context_in_the_word_files_order() -> None:
    word_file = "Alpha one two three four five six seven eight nine ten eleven twelve thirteen."
    rendered = "Alpha one two three added four five six eight nine ten eleven twelve thirteen extra"
    score = fidelity(word_file, rendered)
    assert [(d.word_file, d.rendered, d.context) for d in score.differences] == [
        ("", "added", "Alpha one two three"),
        ("seven", "", "one two three four five six"),
        ("", "extra", "eight nine ten eleven twelve thirteen."),
    ]
    many = fidelity(" ".join(f"same{n} word{n}" for n in range(200)), " ".join(f"same{n}" for n in range(200)))
    assert (len(many.differences), many.total_differences) == (MAX_LISTED, 200)


def test_fidelity_of_two_30000_word_texts(capsys: pytest.CaptureFixture[str]) -> None:
    """Two long, nearly equal texts: the figure is right; the time is printed, never asserted."""
    rng = generator(30)
    vocabulary = [*SHARED_WORDS, *(f"term{n}" for n in range(2000))]
    original = [rng.choice(vocabulary) for _ in range(30_000)]
    changed = list(original)
    for n in range(0, 30_000, 1000):
        changed[n] = "altered"
    started = time.perf_counter()
    score = fidelity(" ".join(original), " ".join(changed))
    took = time.perf_counter() - started
    assert score.percent == pytest.approx(100 * (30_000 - 30) / 30_000)
    assert score.total_differences == 30
    with capsys.disabled():
        print(f"\nfidelity of two 30,000-word texts: {took:.3f} s")


@pytest.mark.parametrize("seed", range(5))
def test_fidelity_agrees_with_difflib(seed: int) -> None:
    """The anchored comparison finds (almost) as many equal words as difflib's slower full one."""
    from difflib import SequenceMatcher

    rng = generator(seed)
    original = prose(seed, 600).split()
    edited = list(original)
    for _ in range(30):
        n = rng.randrange(len(edited))
        edited[n:n + rng.randrange(4)] = rng.choice([[], ["inserted"], ["x", "y"], edited[n:n + 1] * 2])
    matcher = SequenceMatcher(None, [w.lower().strip(".") for w in original],
                              [w.lower().strip(".") for w in edited], autojunk=False)
    best = 200 * sum(b.size for b in matcher.get_matching_blocks()) / (len(original) + len(edited))
    found = fidelity(" ".join(original), " ".join(edited)).percent
    print(f"seed {seed}: difflib {best:.2f} %, fidelity {found:.2f} %")
    assert best - 0.5 <= found <= best


def mutated(rng: random.Random, sections: list[Section]) -> list[Section]:
    """A school's copy made by hand: sections removed, moved, added, emptied or reworded."""
    copy = list(sections)
    for _ in range(rng.randrange(1, 10)):
        n = rng.randrange(1, len(copy)) if len(copy) > 1 else 0
        old = copy[n]
        extra = prose(rng.randrange(1000), 8, OTHER_WORDS)
        match rng.choice(["remove", "reword", "add", "move", "empty"]) if n else "none":
            case "remove":
                del copy[n]
            case "empty":
                copy[n] = Section(old.id, old.heading, old.level, "\n")
            case "reword":
                body = rng.choice([f"{old.body.strip()}\n\n{extra}", f"{extra}\n\n{old.body.strip()}", extra])
                copy[n] = Section(old.id, old.heading, old.level, f"\n{body}\n\n")
            case "add":
                copy.insert(n + 1, Section("", f"Added {n} {extra[:5]}", rng.choice([2, 3]), f"\n{extra}\n\n"))
            case "move":
                copy.insert(rng.randrange(1, len(copy)), copy.pop(n))
    return split_sections(join_sections([s if s.id or not s.level else
                                         Section(slug(s.heading), s.heading, s.level, s.body) for s in copy]))


def applied(model: str, changes: list[dict[str, str]]) -> str:
    """The model's text after the changes, applied by the function compose/overlays.py applies them with."""
    lines = lines_from(model, "model.md", 1)
    for change in changes:
        parsed = SectionChange.model_validate(change)
        lines = apply_change(lines, parsed, lines_from(parsed.text.rstrip("\n"), "school.yml", 1))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.text for line in lines)).strip("\n")


def test_any_mix_of_hand_edits_is_recreated_or_reported() -> None:
    """400 generated sets of copies: every copy comes back from model + overlay, unless the
    overlay says which sections it could not place (only before the first heading, where no change reaches)."""
    recreated = reported = 0
    for seed in range(400):
        rng = generator(seed)
        copies = {f"school-{n}": mutated(rng, split_sections(SHARED)) for n in range(rng.randrange(1, 5))}
        merged = merge_copies(copies)
        for school, sections in copies.items():
            counts = merged.counts[school]
            got = applied(join_sections(merged.model), merged.overlays[school])
            if counts.unplaced:
                reported += 1
                assert set(counts.unplaced) <= {s.id for s in sections}
                continue
            recreated += 1
            assert got == re.sub(r"\n{3,}", "\n\n", join_sections(sections)).strip("\n"), (seed, school)
            assert (counts.sections == 0) == (merged.overlays[school] == [])
    print(f"\n{recreated} copies recreated exactly, {reported} with sections reported as not placeable")
    assert recreated > 3 * reported


def test_section_ids_are_made_unique() -> None:
    twice = [Section("", "", 0, "Intro.\n\n"), Section("rules", "Rules", 2, "\nA.\n\n"),
             Section("rules", "Rules", 2, "\nB.\n")]
    merged = merge_copies({"alpha": twice, "beta": twice})
    assert [s.id for s in merged.model] == ["", "rules", "rules-2"]
    assert merged.overlays == {"alpha": [], "beta": []}
    assert merge_copies({}).model == [Section("", "", 0, "")]
