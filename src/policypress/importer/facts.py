"""What the source knows for one school, and those values in a Word file's text turned back into placeholders.

`KnownFacts` holds every value the source knows for one school (or one trust's model) with the
placeholder that prints it; `replace_known` replaces them in one line of inline Markdown. Values are
matched as whole words, case-insensitively, longest first; telephone numbers whatever their spacing
("020 7946 0302", "02079460302", "+44 20 7946 0302"). Nothing is replaced inside an existing {{ … }}
or {% … %}, or inside a link's address: a mailto: or tel: link whose words are a known value becomes
the placeholder as a whole. importer/placeholders.py lists what the files do not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from policypress.source.project import Project
from policypress.source.school_schema import Contact

# Spans never changed: placeholders and Jinja tags, link addresses, autolinks and bare web addresses.
PROTECTED = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\]\((?:<[^>]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+\"[^\"]*\")?\)"
                       r"|<[a-zA-Z][\w+.-]*:[^>\s]*>|\bhttps?://[^\s)\]>]+", re.DOTALL)
CONTACT_LINK = re.compile(r"\[(?P<words>[^\]]*)\]\(<?(?:mailto|tel):[^)>\s]*>?\)", re.IGNORECASE)
TOKEN = re.compile(r"\w+|[+(]")  # where a value may start
MARKDOWN_PUNCTUATION = set("\\`*_{}[]()#+-.!|<>")
MIN_PHONE_DIGITS = 10
@dataclass(frozen=True)
class KnownValue:
    """One value the source knows and the placeholder that prints it."""

    value: str
    """As the source writes it, e.g. '020 7946 0302'."""
    placeholder: str
    """e.g. '{{ contact("dsl").phone }}'."""
    pattern: str
    """The regular expression that finds it in a line, whatever its spacing or case."""


@dataclass(frozen=True)
class KnownFacts:
    """Every value the source knows for one school (or for one trust's model policies), longest first."""

    values: tuple[KnownValue, ...]
    target: str
    """The file a new contact belongs in, e.g. 'schools/oakfield-learning-trust/hillcrest-primary.yml'."""
    names: frozenset[str]
    """Every known person's or organisation's name, lower case: never reported as unknown."""

    @classmethod
    def for_school(cls, project: Project, school_id: str) -> KnownFacts:
        """The school's, its trust's and its local authority's names and contacts (the school's win)."""
        school = project.schools[school_id]
        model = school.source.model
        trust = project.trusts[school.trust].model
        authority = project.authorities[model.local_authority].model
        pairs = [(model.name, "{{ school.name }}"), *_short_forms(model.name, "{{ school.name }}"),
                 (trust.name, "{{ trust.name }}"), (authority.name, "{{ local_authority.name }}"),
                 (authority.safeguarding_partnership, "{{ local_authority.safeguarding_partnership }}")]
        contacts = {**authority.contacts, **trust.contacts, **model.contacts}
        return cls.build(pairs + _contact_values(contacts), school.source.path)

    @classmethod
    def for_trust(cls, project: Project, trust_id: str) -> KnownFacts:
        """A trust's model: its name and contacts, and its schools' local authority when they share one."""
        trust = project.trusts[trust_id]
        schools = [s.source.model for s in project.schools.values() if s.trust == trust_id]
        authorities = {s.local_authority for s in schools}
        pairs = [(trust.model.name, "{{ trust.name }}")]
        contacts = dict(trust.model.contacts)
        if len(authorities) == 1:  # otherwise the authority's words differ from school to school
            authority = project.authorities[authorities.pop()].model
            pairs += [(authority.name, "{{ local_authority.name }}"),
                      (authority.safeguarding_partnership, "{{ local_authority.safeguarding_partnership }}")]
            contacts = {**authority.contacts, **contacts}
        return cls.build(pairs + _contact_values(contacts), trust.path)

    @classmethod
    def build(cls, pairs: list[tuple[str, str]], target: str) -> KnownFacts:
        """From (value, placeholder) pairs in order of priority: a value seen twice keeps its first placeholder."""
        seen: dict[str, KnownValue] = {}
        for value, placeholder in pairs:
            pattern = _value_pattern(value)
            if pattern and _value_key(value) not in seen:
                seen[_value_key(value)] = KnownValue(value, placeholder, pattern)
        ordered = sorted(seen.values(), key=lambda v: (-len(v.value), v.value))
        names = frozenset(v.value.lower() for v in ordered if v.placeholder.endswith(".name }}"))
        return cls(tuple(ordered), target, names)

    def pattern(self) -> re.Pattern[str]:
        """One expression finding every value, longest first (group vN is values[N])."""
        return self._pattern

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        joined = "|".join(f"(?P<v{n}>{v.pattern})" for n, v in enumerate(self.values)) or r"(?!x)x"
        return re.compile(joined, re.IGNORECASE)

    @cached_property
    def first_words(self) -> frozenset[str]:
        """The first word of every value, lower case: where one may start in a line."""
        return frozenset(m.group(0).lower() for v in self.values if (m := TOKEN.search(v.value)))


def _short_forms(name: str, placeholder: str) -> list[tuple[str, str]]:
    """'Hillcrest Primary School' is also written 'Hillcrest Primary'; a bare 'Hillcrest' is a place, not the school."""
    words = name.split()
    if len(words) >= 3 and words[-1].lower() == "school":  # two words must stay
        return [(" ".join(words[:-1]), placeholder)]
    return []


def _contact_values(contacts: dict[str, Contact]) -> list[tuple[str, str]]:
    pairs = []
    for role, contact in contacts.items():
        call = f'contact("{role}")'
        pairs.append((contact.name, f"{{{{ {call}.name }}}}"))
        for part in ("phone", "out_of_hours_phone", "email"):
            value = getattr(contact, part)
            if value:
                pairs.append((str(value), f"{{{{ {call}.{part} }}}}"))
    return pairs


def _value_key(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return digits if _is_phone(value) else " ".join(value.lower().split())


def _is_phone(value: str) -> bool:
    return bool(re.fullmatch(r"[\d\s()+.-]+", value)) and len(re.sub(r"\D", "", value)) >= MIN_PHONE_DIGITS


def _value_pattern(value: str) -> str:
    """A value as a whole-word expression; '' for values too short or vague to look for."""
    if _is_phone(value):
        return _phone_pattern(re.sub(r"\D", "", value))
    if len(value.split()) < 2 and "@" not in value:  # one word ('Office') is too vague
        return ""
    # 'Hillcrest Primary' followed by 'Schools' is part of a longer name.
    return rf"(?<![\w@/\\]){_text_pattern(value)}(?![\w@]|[.\-/]\w|[\s\u00a0]+schools?\b)"


def _text_pattern(value: str) -> str:
    """Spacing, curly apostrophes and Markdown's escapes as Word and the reader write them."""
    parts = []
    for char in re.sub(r"\s+", " ", value.strip()):
        if char == " ":
            parts.append(r"[\s\u00a0]+")
        elif char in "'\u2019":
            parts.append("['\u2019]")
        elif char in MARKDOWN_PUNCTUATION:
            parts.append(r"\\?" + re.escape(char))
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def _phone_pattern(digits: str) -> str:
    """020 7946 0302 however spaced, bracketed or dashed, with +44 for its first 0."""
    gap = r"[\s\u00a0\-.()]{0,3}"
    first = r"(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)" if digits.startswith("0") else re.escape(digits[0])
    return rf"(?<![\w+]){first}{gap.join(digits[1:])}(?![\d])(?![\-.]\d)"


# --- replacing known values ---------------------------------------------------------------------------------

def replace_known(text: str, known: KnownFacts) -> str:
    """Known values as placeholders, outside placeholders and link addresses."""
    text = CONTACT_LINK.sub(lambda m: _whole_link(m, known), text)
    pattern = known.pattern()
    out, last = [], 0
    for protected in [*PROTECTED.finditer(text), None]:
        stop = protected.start() if protected else len(text)
        out.append(_replace_values(text[last:stop], pattern, known))
        if protected:
            out.append(protected.group(0))
            last = protected.end()
    return "".join(out)


def _replace_values(segment: str, pattern: re.Pattern[str], known: KnownFacts) -> str:
    """Values tried only where a word that starts one begins: one long expression at every character is slow."""
    firsts = known.first_words
    out, last = [], 0
    for token in TOKEN.finditer(segment):
        word = token.group(0).lower()
        if token.start() < last or not (word in firsts or word[0].isdigit() or word in "+("):
            continue
        found = pattern.match(segment, token.start())
        if found:
            out += [segment[last:found.start()], known.values[int(str(found.lastgroup)[1:])].placeholder]
            last = found.end()
    return "".join(out) + segment[last:]


def _whole_link(link: re.Match[str], known: KnownFacts) -> str:
    """[dsl@…](mailto:dsl@…): the placeholder alone, when the link's words are exactly a known value."""
    whole = re.fullmatch(known.pattern(), link.group("words").strip())
    return known.values[int(str(whole.lastgroup)[1:])].placeholder if whole else link.group(0)


# --- people and numbers the files do not know ---------------------------------------------------------------

