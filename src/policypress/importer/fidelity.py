"""How closely the policy policypress renders matches the Word file: the words a reader sees.

Both texts become lists of words (lower case, punctuation and Markdown syntax stripped), so a
heading id, a table pipe or a link's address never counts; only words that differ do.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

MAX_LISTED = 50
CONTEXT_WORDS = 6
ANCHOR_WORDS = 3

_MARKDOWN = [  # (pattern, replacement), applied in order
    (re.compile(r"^\s*```.*$|^\s*~~~.*$", re.M), " "),  # code fences (their contents stay)
    (re.compile(r"\{#[a-z0-9][a-z0-9-]*\}"), " "),  # heading ids
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r" \1 "),  # pictures: their alt text
    (re.compile(r"\[\^[^\]]*\]:?"), " "),  # footnote marks and footnote labels
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links: their text
    (re.compile(r"<[^>\n]+>"), " "),  # <br>, <u> and other tags
    (re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$", re.M), " "),  # table rule
    (re.compile(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$", re.M), " "),  # thematic breaks
    (re.compile(r"^\s*#{1,6}\s", re.M), " "),  # heading marks
    (re.compile(r"^\s*>\s?", re.M), " "),  # block quotes
    (re.compile(r"^\s*([-*+]|\d+[.)])\s+", re.M), " "),  # list markers
    (re.compile(r"&nbsp;|&#160;"), " "),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])"), r"\1"),  # Markdown escapes
]
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Difference:
    """One stretch where the two texts' words differ."""

    word_file: str
    """What the Word file says there ('' when policypress adds words)."""
    rendered: str
    """What policypress renders there ('' when it leaves words out)."""
    context: str
    """A few of the Word file's words just before the stretch, to find it by."""


@dataclass(frozen=True)
class Fidelity:
    """The words the reader sees, compared."""

    percent: float
    """100 × 2 × matched words / (words in the Word file + words rendered); 100.0 for two empty texts."""
    differences: list[Difference]
    """The stretches that differ, in the Word file's order (at most MAX_LISTED)."""
    total_differences: int
    """How many stretches differ in all (differences lists only the first MAX_LISTED)."""


def fidelity(source_words: str, rendered_markdown: str) -> Fidelity:
    """Compare the Word file's text with the Markdown policypress renders for the same school."""
    shown_a, keys_a = words(source_words)
    shown_b, keys_b = words(rendered_markdown)
    blocks = matching_blocks(keys_a, keys_b)
    matched = sum(size for _, _, size in blocks)
    total = len(keys_a) + len(keys_b)
    percent = 100.0 if total == 0 else 100.0 * 2 * matched / total
    stretches = _stretches(blocks, len(keys_a), len(keys_b))
    listed = [_difference(shown_a, shown_b, s) for s in stretches[:MAX_LISTED]]
    return Fidelity(percent, listed, len(stretches))


def words(text: str) -> tuple[list[str], list[str]]:
    """(the words as written, their comparison keys) for the words a reader of text sees."""
    plain = text.replace("\u2019", "'").replace("\u2018", "'")
    for pattern, replacement in _MARKDOWN:
        plain = pattern.sub(replacement, plain)
    shown, keys = [], []
    for token in plain.split():
        key = _NOT_WORD.sub("", token.replace("'", "")).lower()
        if key:
            shown.append(token.strip("*_`~|"))
            keys.append(key)
    return shown, keys


def matching_blocks(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """(i, j, size) runs of equal words, in order (difflib's answer, found faster).

    Runs of words found exactly once in each text anchor the comparison (as in "patience diff"); difflib
    then only compares the short stretches between anchors, so two 30,000-word texts take a
    fraction of a second instead of many seconds.
    """
    blocks: list[tuple[int, int, int]] = []
    _match(a, b, 0, len(a), 0, len(b), blocks)
    return _joined(blocks)


def _match(a: list[str], b: list[str], a0: int, a1: int, b0: int, b1: int,
           out: list[tuple[int, int, int]]) -> None:
    while a0 < a1 and b0 < b1 and a[a0] == b[b0]:  # common start
        out.append((a0, b0, 1))
        a0, b0 = a0 + 1, b0 + 1
    tail = 0
    while a0 < a1 - tail and b0 < b1 - tail and a[a1 - 1 - tail] == b[b1 - 1 - tail]:
        tail += 1
    anchors = _anchors(a, b, a0, a1 - tail, b0, b1 - tail)
    if anchors:
        for i, j in anchors:
            if i > a0 and j > b0:  # words on one side only need no comparing
                _match(a, b, a0, i, b0, j, out)
            out.append((i, j, 1))
            a0, b0 = i + 1, j + 1
        _match(a, b, a0, a1 - tail, b0, b1 - tail, out)
    else:
        _difflib(a, b, a0, a1 - tail, b0, b1 - tail, out)
    out.extend((a1 - tail + k, b1 - tail + k, 1) for k in range(tail))


def _anchors(a: list[str], b: list[str], a0: int, a1: int, b0: int, b1: int) -> list[tuple[int, int]]:
    """Starts of word triples found once in each range, the longest run in the same order in both.

    Triples, not single words: in a long policy most words recur, but most runs of three do not.
    """
    grams_a = [tuple(a[i:i + ANCHOR_WORDS]) for i in range(a0, a1 - ANCHOR_WORDS + 1)]
    grams_b = [tuple(b[j:j + ANCHOR_WORDS]) for j in range(b0, b1 - ANCHOR_WORDS + 1)]
    count_a, count_b = Counter(grams_a), Counter(grams_b)
    where_b = {gram: b0 + n for n, gram in enumerate(grams_b) if count_b[gram] == 1}
    pairs = [(a0 + n, where_b[gram]) for n, gram in enumerate(grams_a)
             if count_a[gram] == 1 and gram in where_b]
    return _increasing(pairs)


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of pairs whose second items increase (patience sorting)."""
    tails: list[int] = []  # index into pairs of the smallest tail of each run length
    before: list[int] = []
    seconds: list[int] = []
    for n, (_, j) in enumerate(pairs):
        k = bisect_left(seconds, j)
        before.append(tails[k - 1] if k else -1)
        if k == len(tails):
            tails.append(n)
            seconds.append(j)
        else:
            tails[k], seconds[k] = n, j
    run, n = [], tails[-1] if tails else -1
    while n >= 0:
        run.append(pairs[n])
        n = before[n]
    return run[::-1]


def _difflib(a: list[str], b: list[str], a0: int, a1: int, b0: int, b1: int,
             out: list[tuple[int, int, int]]) -> None:
    if a0 >= a1 or b0 >= b1:
        return
    matcher = SequenceMatcher(None, a[a0:a1], b[b0:b1], autojunk=False)
    out.extend((a0 + i, b0 + j, size) for i, j, size in matcher.get_matching_blocks() if size)


def _joined(blocks: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Adjacent runs made one (the single-word runs from anchors and common starts)."""
    joined: list[tuple[int, int, int]] = []
    for i, j, size in blocks:
        if joined and joined[-1][0] + joined[-1][2] == i and joined[-1][1] + joined[-1][2] == j:
            last = joined.pop()
            joined.append((last[0], last[1], last[2] + size))
        else:
            joined.append((i, j, size))
    return joined


def _stretches(blocks: list[tuple[int, int, int]], len_a: int, len_b: int) -> list[tuple[int, int, int, int]]:
    """(a_start, a_end, b_start, b_end) of every stretch between runs of equal words."""
    found = []
    i = j = 0
    for bi, bj, size in [*blocks, (len_a, len_b, 0)]:
        if bi > i or bj > j:
            found.append((i, bi, j, bj))
        i, j = bi + size, bj + size
    return found


def _difference(shown_a: list[str], shown_b: list[str], stretch: tuple[int, int, int, int]) -> Difference:
    a0, a1, b0, b1 = stretch
    before = " ".join(shown_a[max(0, a0 - CONTEXT_WORDS):a0])
    return Difference(" ".join(shown_a[a0:a1]), " ".join(shown_b[b0:b1]), before)
