"""Where each word of a school's policy comes from: model text, an overlay, or a fact.

The policy is rendered once more with invisible marks: one at the start of every source line
(so the words after it came from that file and line) and one around every fact a placeholder
prints (a contact, the registry, the school's own details). The marks are private-use
characters that no policy contains; the words between them are then tagged with their origin.
Comparing tagged words with those stored when the policy was approved tells governors not
only what changed, but where each change came from.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from policypress.compose.fact_types import FactType
from policypress.compose.facts import FLOW_TOKEN_FOUND, Facts
from policypress.compose.flowchart_views import MARK
from policypress.compose.overlays import compose_meta, compose_text
from policypress.compose.pictures import load_pictures
from policypress.compose.sandbox import make_environment, printable
from policypress.source.project import Project

LINE_MARK = "\ue010{}\ue011"
FACT_OPEN, FACT_SPLIT, FACT_CLOSE = "\ue012", "\ue013", "\ue014"
MARKS = re.compile("\ue010([^\ue011]*)\ue011|\ue012([^\ue013]*)\ue013|(\ue014)")
SYNTAX_ONLY = re.compile(r"^(#{1,6}|[-*+>|]|\d+[.)]|-{3,}|\|?[-:| ]+\|?|!!!|\{[:#][^}]*\}|<!--|-->)$")
LINK_TARGET = re.compile(r"\]\([^)]*\)?|\]$")
MARKUP_CHARS = re.compile(r"[*_`\[\]]|\{[:#][^}]*\}")
# A picture is not words of the text: a Markdown image (its alt text may come from the picture's
# declaration when the page is made), and picture()'s figure, a token until the text is sanitised.
IMAGE = re.compile(r'!\[[^\[\]\n]*\]\([^()\n]*\)|\ue000picture:[^\ue000\n]+\ue000'
                   r'|<figure class="picture">\n<img [^>\n]*>(?:\n<figcaption>[^<\n]*</figcaption>)?\n</figure>')


@dataclass(frozen=True)
class Word:
    """One word of a policy as published, and where it came from.

    origin is 'line:PATH:LINE' for text written in a file, or 'fact:KIND:NAME' for a value a
    placeholder printed (kind: a fact type's kind, compose/fact_types.py).
    """

    text: str
    origin: str


class Traced(str):
    """A fact's text that remembers where it came from."""

    origin: str

    def __new__(cls, value: str, origin: str) -> Traced:
        made = super().__new__(cls, value)
        made.origin = origin
        return made


class TracedRecord:
    """A school, trust, contact … whose text fields come back as Traced strings."""

    def __init__(self, record: BaseModel, origin: str) -> None:
        self.record, self.origin = record, origin

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.record, name)
        if isinstance(value, str):
            return Traced(value, self.origin)
        return value


class TracingFacts(Facts):
    """The same facts, each value of a traced fact type carrying its origin into the rendered text."""

    def value(self, fact: FactType) -> Any:
        found = super().value(fact)
        if fact.kind is None:
            return found
        if fact.lookup:
            return lambda key: _traced(found(key), f"fact:{fact.kind}:{key}")
        return TracedRecord(found, f"fact:{fact.kind}:details")


def _traced(value: Any, origin: str) -> Any:
    """A looked-up fact with its origin: a record's text fields, or the text itself."""
    if isinstance(value, BaseModel):
        return TracedRecord(value, origin)
    return Traced(value, origin) if isinstance(value, str) else value


def _traced_printable(value: Any) -> Any:
    origin = getattr(value, "origin", None)
    if isinstance(value, TracedRecord):
        value = value.record
    printed = printable(str.__str__(value) if isinstance(value, Traced) else value)
    return f"{FACT_OPEN}{origin}{FACT_SPLIT}{printed}{FACT_CLOSE}" if origin else printed


def policy_words(project: Project, school_id: str, policy_id: str) -> list[Word]:
    """The words of one school's policy as it renders now, each with its origin."""
    school = project.schools[school_id]
    policy, trust = project.model_for(school_id, policy_id), project.trusts[school.trust]
    lines, _ = compose_text(policy, trust, school.source)
    env = make_environment()
    env.finalize = _traced_printable
    facts = TracingFacts(project, school, env)
    facts.pictures = load_pictures(project).for_school(school_id, school.trust)  # picture() as the build has it
    marked = "\n".join(LINE_MARK.format(f"line:{line.path}:{line.lineno}") + line.text for line in lines)
    text = env.from_string(marked).render(facts.context(compose_meta(policy, trust.model, school.source.model)))
    return tagged_words(FLOW_TOKEN_FOUND.sub(lambda m: f"\n\n{MARK.format(id=m.group(1))}\n\n", text))


def tagged_words(marked: str) -> list[Word]:
    """Split marked text into words, each tagged with the fact it shows or else the line it is on."""
    origins, plain = _char_origins(marked)
    plain = IMAGE.sub(lambda found: " " * len(found.group(0)), plain)
    words = []
    for found in re.finditer(r"\S+", plain):
        cleaned = clean_word(found.group(0))
        if cleaned:
            spans = origins[found.start():found.end()]
            facts = [o for o in spans if o.startswith("fact:")]
            words.append(Word(cleaned, facts[0] if facts else spans[0]))
    return words


def _char_origins(marked: str) -> tuple[list[str], str]:
    """The text without marks, and for each character the origin in force where it stands."""
    line, at = "line:?:0", 0
    facts: list[str] = []
    origins: list[str] = []
    chars: list[str] = []
    for found in MARKS.finditer(marked):
        piece = marked[at:found.start()]
        chars.append(piece)
        origins += [facts[-1] if facts else line] * len(piece)
        if found.group(1) is not None:
            line = found.group(1)
        elif found.group(2) is not None:
            facts.append(found.group(2))
        elif facts:
            facts.pop()
        at = found.end()
    chars.append(marked[at:])
    origins += [facts[-1] if facts else line] * (len(marked) - at)
    return origins, "".join(chars)


def clean_word(word: str) -> str:
    """A word as a reader sees it: without Markdown's marks, link targets and heading ids."""
    if SYNTAX_ONLY.match(word):
        return ""
    return MARKUP_CHARS.sub("", LINK_TARGET.sub("", word))


def plain_words(markdown: str) -> list[str]:
    """The reader's words of Markdown written without marks (an approved snapshot)."""
    return [word.text for word in tagged_words(markdown)]


def words_json(words: list[Word]) -> str:
    """Tagged words as the JSON kept beside an approved snapshot (one word per line, so diffs read well)."""
    rows = ",\n".join(json.dumps([w.text, w.origin], ensure_ascii=False) for w in words)
    return f'{{"format": 1, "words": [\n{rows}\n]}}\n'


def words_from_json(text: str) -> list[Word]:
    """Tagged words as words_json wrote them; ValueError when the text is not such a record."""
    rows = json.loads(text)["words"]
    if not isinstance(rows, list) or not all(
            isinstance(row, list) and len(row) == 2 and all(isinstance(part, str) for part in row) for row in rows):
        raise ValueError("not a record of tagged words")
    return [Word(word, origin) for word, origin in rows]
