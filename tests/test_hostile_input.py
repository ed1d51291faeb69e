"""Bad and hostile input: every case is refused with exit 2 and exact `path:line: what — fix`
messages, in one run with the other files' problems, with no traceback, no hang, and the last
build/ left byte for byte as it was.

One good project is built once for the module; each case copies it, breaks it and builds again.
The corpus covers every kind of source file: trust, school, local authority, registry, policy
front matter, flowchart, approval record and checks.yml.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import AUTHORITY, POLICY, REGISTRY, SCHOOL, TRUST, minimal_tree, write_tree
from policypress.compose.sanitise import sanitise
from policypress.source.yaml_lines import YamlProblem, load_yaml
from tree_tools import tree_digest

ALPHA = "schools/test-trust/alpha.yml"
TRUST_FILE = "schools/test-trust/trust.yml"
LA = "schools/local-authorities/northshire.yml"
REG = "content/statutory.yml"
POL = "content/policies/safeguarding.md"
CHART = "content/flowcharts/worried.yml"
RECORD = "approvals/alpha/safeguarding/2026-11-20-v3.0.md"
CHECKS = "checks.yml"
FLOWCHART = """\
title: If you are worried
description: What any adult does when worried about a child.
start: worried
nodes:
  worried:
    kind: step
    label: You are worried about a child
  decides:
    kind: end
    label: The DSL decides what happens next
edges:
  - {from: worried, to: decides}
"""
RECORD_TEXT = ('---\ndate: 2026-11-20\nby: full_governing_body\nversion: "3.0"\nminute: "FGB 2026-11 item 3"\n---\n'
               "The text.\n")
CHECKS_TEXT = "links:\n  ttl_days: 7\n  retries: 1\n"
TEXTS = {ALPHA: SCHOOL, TRUST_FILE: TRUST, LA: AUTHORITY, REG: REGISTRY, POL: POLICY, CHART: FLOWCHART,
         RECORD: RECORD_TEXT, CHECKS: CHECKS_TEXT}
EPOCH = str(int(dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC).timestamp()))
LEAKED = "minute: the secret minute of another project\n"


@dataclass(frozen=True)
class Link:
    """A symbolic link to target (relative to the folder beside the project: outside it)."""

    target: str


Change = str | bytes | Link | None


def edit(path: str, old: str, new: str) -> dict[str, Change]:
    text = TEXTS[path]
    assert old in text, old
    return {path: text.replace(old, new, 1)}


def add(path: str, extra: str) -> dict[str, Change]:
    return {path: TEXTS[path] + extra}


def policypress(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run([sys.executable, "-m", "policypress", "--root", str(root), *args], capture_output=True,
                          text=True, timeout=timeout, check=False, env=env)


def build(root: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return policypress(root, "build", "--no-pdf", timeout=timeout)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good project with one of every kind of file, built once."""
    root = write_tree(tmp_path_factory.mktemp("good") / "project",
                      {**minimal_tree(), CHART: FLOWCHART, RECORD: RECORD_TEXT, CHECKS: CHECKS_TEXT})
    result = build(root)
    assert result.returncode == 0, result.stderr
    return root


def broken_copy(built: Path, tmp_path: Path, changes: dict[str, Change]) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ndate: 2026-11-20\nby: full_governing_body\nversion: \"9.0\"\n"
                                       + LEAKED + "---\nNot ours.\n", encoding="utf-8")
    (outside / "secret.yml").write_text(SCHOOL, encoding="utf-8")
    shutil.copytree(root / "content" / "policies", outside / "policies")
    for rel, change in changes.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)
        if isinstance(change, Link):
            path.symlink_to(outside / change.target)
        elif isinstance(change, bytes):
            path.write_bytes(change)
        elif isinstance(change, str):
            path.write_text(change, encoding="utf-8")
    return root


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if " — " in line and not line.startswith("error:")]


def assert_refused(built: Path, root: Path, result: subprocess.CompletedProcess[str], expected: list[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert problem_lines(result.stderr) == expected, result.stderr
    assert result.returncode == 2, result.stderr
    assert tree_digest(root / "build") == tree_digest(built / "build")


BOMB = ("links:\n  map: &a {x: 1, y: 2, z: 3, w: 4, v: 5, u: 6, t: 7, s: 8, r: 9}\n"
        + "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)))
DEEP = "[" * 10_000 + "]" * 10_000
LATIN = "name: Ecole Sainte-Th\xe9r\xe8se\n".encode("latin-1")


def school_bytes(line: str, new: bytes) -> dict[str, Change]:
    return {ALPHA: SCHOOL.encode().replace(line.encode(), new, 1)}


CASES: list[tuple[str, dict[str, Change], tuple[str, ...]]] = [
    # YAML syntax: the special characters, quotes, brackets, tabs and keys written twice
    ("colon-in-value", edit(ALPHA, "name: Alpha Primary School", "name: Alpha: Primary School"), ()),
    ("hash-cuts-value", edit(ALPHA, "name: Alpha Primary School", "name: Alpha Primary #1"), ()),
    ("hash-empties-value", edit(TRUST_FILE, "name: Test Learning Trust", "name: #1 Learning Trust"), ()),
    ("question-mark", edit(LA, "name: Northshire Council", "name: ? Northshire Council"), ()),
    ("question-mark-in-braces", edit(ALPHA, "by: full_governing_body", "by: ?"), ()),
    ("question-mark-in-list", edit(TRUST_FILE, "locked: [what-to-do]", "locked: [what-to-do, ?]"), ()),
    ("asterisk", edit(TRUST_FILE, "name: Test Learning Trust", "name: *Test* Learning Trust"), ()),
    ("ampersand-anchor", edit(LA, "name: Pat Example", "name: &Pat Example"), ()),
    ("ampersand-space", edit(REG, "publisher: Department for Education", "publisher: & Department for Education"), ()),
    ("exclamation-tag", edit(POL, "title: Safeguarding policy", "title: !Safeguarding policy"), ()),
    ("percent", edit(CHART, "title: If you are worried", "title: %100 worried"), ()),
    ("at-sign", edit(ALPHA, "email: head@alpha.example.org", "email: @head"), ()),
    ("backtick", edit(POL, "summary: How we keep children safe.", "summary: `How` we keep children safe."), ()),
    ("comma-in-braces", edit(ALPHA, 'version: "2.0"}', "version: 2, final}"), ()),
    ("colon-in-braces", edit(CHART, "to: decides}", "to: decides, label: Yes: now}"), ()),
    ("unclosed-quote-to-end", edit(RECORD, 'minute: "FGB 2026-11 item 3"', 'minute: "FGB 2026-11 item 3'), ()),
    ("unclosed-quote-closed-later", edit(ALPHA, "postcode: NT1 1AA", 'postcode: "NT1 1AA'), ()),
    ("unclosed-single-quote", edit(REG, "title: Keeping", "title: 'Keeping"), ()),
    ("apostrophe-in-single-quotes", edit(TRUST_FILE, "name: Test Learning Trust", "name: 'St Mary's Trust'"), ()),
    ("unclosed-list", edit(TRUST_FILE, "locked: [what-to-do]", "locked: [what-to-do"), ()),
    ("unclosed-brace", edit(ALPHA, 'version: "2.0"}', 'version: "2.0"'), ()),
    ("tab", edit(LA, "  lado:", "\tlado:"), ()),
    ("duplicate-key-checks", {CHECKS: "links:\n  ttl_days: 7\n  ttl_days: 8\n"}, ("check", "links")),
    ("duplicate-key-flowchart", edit(CHART, "  decides:", "  worried:\n    kind: step\n    label: Again\n  decides:"),
     ()),
    # unknown keys at every level
    ("unknown-key-trust", add(TRUST_FILE, "motto: Together\n"), ()),
    ("unknown-key-authority-contact", edit(LA, "    phone: 01632 960150", "    phnoe: 01632 960150"), ()),
    ("unknown-key-registry-entry", edit(REG, "    kind: statutory_guidance", "    knd: statutory_guidance"), ()),
    ("unknown-key-front-matter", edit(POL, "summary:", "sumary:"), ()),
    ("unknown-key-flowchart-node", edit(CHART, "    label: You are worried", "    lable: You are worried"), ()),
    ("unknown-key-approval", edit(RECORD, "minute:", "minutes:"), ()),
    ("unknown-key-checks", edit(CHECKS, "retries: 1", "retrys: 1"), ("check", "links")),
    ("unknown-key-in-braces", edit(ALPHA, 'version: "2.0"}', 'version: "2.0", note: late}'), ()),
    # wrong types
    ("not-true-or-false", edit(ALPHA, "phase: primary", "phase: primary\nnursery: maybe"), ()),
    ("list-item-not-lined-up", edit(LA, "contacts:\n  front_door:", "contacts:\n  - front_door:"), ()),
    ("number-in-words", edit(REG, "max_unverified_days: 365", "max_unverified_days: a year"), ()),
    ("edges-not-a-list", {CHART: FLOWCHART.split("edges:")[0] + "edges: none\n"}, ()),
    ("ttl-in-words", edit(CHECKS, "ttl_days: 7", "ttl_days: a week"), ("check", "links")),
    ("version-a-number", edit(RECORD, 'version: "3.0"', "version: 3.0"), ()),
    ("trust-policies-a-list", edit(TRUST_FILE, "policies:\n  safeguarding:\n    locked: [what-to-do]",
                                   "policies: [safeguarding]"), ()),
    ("front-matter-a-list", {POL: "---\n- title\n- summary\n---\nText.\n"}, ()),
    # impossible dates: the rest of the file is still read and checked
    ("impossible-date-and-urn", {ALPHA: SCHOOL.replace("2026-09-10", "2026-02-30").replace('"123456"', '"12345"')},
     ()),
    ("impossible-dates-registry", {REG: REGISTRY.replace("2025-09-01", "2025-02-29").replace("2026-11-01", "2026-11-31")
                                   .replace("    kind: statutory_guidance", "    knd: statutory_guidance")}, ()),
    ("impossible-date-approval", {RECORD: RECORD_TEXT.replace("date: 2026-11-20", "date: 2026-11-31")}, ()),
    ("impossible-date-hides-nothing", {**edit(RECORD, "date: 2026-11-20", "date: 2026-11-31"),
                                       **edit(CHART, "    label: You are worried", "    lable: You are worried"),
                                       **edit(POL, "{{ school.name }}", "{{ school.nmae }}")}, ()),
    # bounded: aliases, nesting, size
    ("alias-bomb-school", {ALPHA: SCHOOL + BOMB.replace("links:\n  map:", "bomb:")}, ()),
    ("alias-bomb-checks", {CHECKS: BOMB}, ("check", "links")),
    ("alias-of-itself", add(TRUST_FILE, "loop: &loop [*loop]\n"), ()),
    ("deep-nesting-authority", add(LA, f"deep: {DEEP}\n"), ()),
    ("deep-nesting-front-matter", {POL: POLICY.replace("audience: [public, staff]", f"audience: {DEEP}")}, ()),
    ("deep-block-nesting", add(REG, "".join("  " * i + f"k{i}:\n" for i in range(60))), ()),
    ("too-many-values", add(REG, "many: [" + "1, " * 150_000 + "]\n"), ()),
    ("over-size-policy", {POL: POLICY + ("All staff are trained every year. " * 32) * 5000}, ()),
    ("over-size-registry", {REG: REGISTRY + "# " + "x" * (5 * 1024 * 1024) + "\n"}, ()),
    # encodings
    ("latin-1-school", school_bytes("name: Alpha Primary School\n", LATIN), ()),
    ("two-not-utf8-and-a-key", {TRUST_FILE: TRUST.encode().replace(b"name: Test Learning Trust", b"name: Caf\xe9"),
                                POL: POLICY.replace("the same day.", "the same day \u201cnow\u201d.").encode("cp1252"),
                                **edit(LA, "website:", "webiste:")}, ()),
    ("latin-1-approval", {RECORD: RECORD_TEXT.replace("item 3", "item \xa73").encode("latin-1")}, ()),
    ("latin-1-checks", {CHECKS: b"links:\n  ttl_days: 7\n# r\xe9sum\xe9\n"}, ("check", "links")),
    ("latin-1-flowchart", {CHART: FLOWCHART.replace("You are worried", "Vous \xeates inquiet").encode("latin-1")}, ()),
    ("utf-16-registry", {REG: REGISTRY.encode("utf-16")}, ()),
    # links out of the project
    ("link-out-policy", {POL: Link("policies/safeguarding.md")}, ()),
    ("link-out-school", {ALPHA: Link("secret.yml")}, ()),
    ("link-out-approval", {RECORD: Link("secret.md")}, ()),
    ("link-out-new-approval", {"approvals/alpha/safeguarding/2026-11-21-v9.0.md": Link("secret.md")}, ()),
    ("link-out-flowchart", {CHART: Link("secret.yml")}, ()),
    ("link-out-registry", {REG: Link("secret.yml")}, ()),
    ("link-out-checks", {CHECKS: Link("secret.yml")}, ("check", "links")),
    ("link-out-policies-folder", {"content/policies": Link("policies")}, ()),
]


EXPECTED: dict[str, list[str]] = {
    "colon-in-value": [
        f"{ALPHA}:2: YAML cannot read this line: a ':' inside a value, or a key indented more than the one "
        'above — put a value that contains \': \' in quotes (name: "Alpha: a school"), or line the key '
        'up with the others',
    ],
    "hash-cuts-value": [
        f"{ALPHA}:2: YAML reads ' #' and what follows as a comment, so this value is cut short — put the "
        'value in quotes: name: "Alpha Primary #1"',
    ],
    "hash-empties-value": [
        f"{TRUST_FILE}:2: YAML reads ' #' and what follows as a comment, so this value is cut short — put the "
        'value in quotes: name: "#1 Learning Trust"',
    ],
    "question-mark": [
        f"{LA}:2: YAML reads a '?' at the start of a value as the start of a complex key, not as text — "
        'put the value in quotes: name: "? Northshire Council"',
    ],
    "question-mark-in-braces": [
        f"{ALPHA}:26: YAML reads a '?' at the start of a value as the start of a complex key, not as text — "
        'put the value in quotes: by: "?"',
    ],
    "question-mark-in-list": [
        f"{TRUST_FILE}:10: YAML reads a '?' at the start of a value as the start of a complex key, not as "
        'text — put the value in quotes: "?"',
        f"{TRUST_FILE}:10: policies.safeguarding.locked: '?' is not a valid id — use lower-case letters, "
        "digits and hyphens, e.g. anti-bullying",
    ],
    "asterisk": [
        f"{TRUST_FILE}:2: YAML reads a '*' at the start of a value as an alias (a reference to an '&' anchor), "
        'not as text — put the value in quotes: name: "*Test* Learning Trust"',
    ],
    "ampersand-anchor": [
        f"{LA}:14: YAML reads a '&' at the start of a value as an anchor name, not as text — put the "
        'value in quotes: name: "&Pat Example"',
    ],
    "ampersand-space": [
        f"{REG}:5: YAML reads a '&' at the start of a value as an anchor name, not as text — put the value "
        'in quotes: publisher: "& Department for Education"',
    ],
    "exclamation-tag": [
        f"{POL}:2: YAML reads a '!' at the start of a value as a type tag, not as text — put the value in "
        'quotes: title: "!Safeguarding policy"',
    ],
    "percent": [
        f"{CHART}:1: YAML reads a '%' at the start of a value as a directive, not as text — put the value in "
        'quotes: title: "%100 worried"',
    ],
    "at-sign": [
        f"{ALPHA}:16: YAML reads a '@' at the start of a value as a reserved character, not as text — put "
        'the value in quotes: email: "@head"',
    ],
    "backtick": [
        f"{POL}:3: YAML reads a '`' at the start of a value as a reserved character, not as text — put the "
        'value in quotes: summary: "`How` we keep children safe."',
    ],
    "comma-in-braces": [
        f"{ALPHA}:26: the comma in the value of 'version' ends the value inside {{…}} — put the value in "
        'quotes: version: "2, final"',
    ],
    "colon-in-braces": [
        f"{CHART}:12: YAML cannot read this line: a ':' inside a value in {{…}} or […] — put the value in "
        'quotes: label: "Yes: now"',
    ],
    "unclosed-quote-to-end": [
        f'{RECORD}:5: the quotation mark opened on this line is not closed — add the closing quotation mark '
        'at the end of the value',
    ],
    "unclosed-quote-closed-later": [
        f'{ALPHA}:9: the quotation mark opened on this line is not closed — add the closing quotation mark '
        'at the end of the value',
    ],
    "unclosed-single-quote": [
        f'{REG}:4: the quotation mark opened on this line is not closed — add the closing quotation mark '
        'at the end of the value',
    ],
    "apostrophe-in-single-quotes": [
        f'{TRUST_FILE}:2: YAML cannot read this line: it does not line up with the lines above, or there is text '
        "after a closing quotation mark — line the key up with the others; inside '…' write an "
        'apostrophe twice (\'St Mary\'\'s\') or use "…" instead',
    ],
    "unclosed-list": [
        f"{TRUST_FILE}:10: the list opened with '[' on this line is not closed — add the closing ']' at the end "
        'of the list',
    ],
    "unclosed-brace": [
        f"{ALPHA}:26: the '{{' on this line is not closed — add the closing '}}'",
    ],
    "tab": [
        f'{LA}:13: this line is indented with a tab — indent with spaces only',
    ],
    "duplicate-key-checks": [
        "checks.yml:3: the key 'ttl_days' appears twice (first on line 2) — keep one of them and "
        'delete the other',
    ],
    "duplicate-key-flowchart": [
        f"{CHART}:8: the key 'worried' appears twice (first on line 5) — keep one of them and delete the "
        'other',
    ],
    "unknown-key-trust": [
        f"{TRUST_FILE}:11: unknown key 'motto' — allowed here: id, name, website, site_url, address, contacts, "
        'branding, policies, governance',
    ],
    "unknown-key-authority-contact": [
        f"{LA}:16: unknown key 'phnoe' — did you mean 'phone'? Allowed here: name, title, phone, "
        'out_of_hours_phone, email, website, hours',
    ],
    "unknown-key-registry-entry": [
        f"{REG}:9: unknown key 'knd' — did you mean 'kind'? Allowed here: title, aliases, publisher, url, "
        'edition, in_force, kind, supersedes, verified, unsure',
    ],
    "unknown-key-front-matter": [
        f"{POL}:3: unknown key 'sumary' — did you mean 'summary'? Allowed here: title, summary, category, "
        'statutory, approver, review_cycle, max_review_cycle, owner, author, reviewer, requires, references, '
        'meets, audience',
    ],
    "unknown-key-flowchart-node": [
        f"{CHART}:7: unknown key 'lable' — did you mean 'label'? Allowed here: kind, label, contact, when",
    ],
    "unknown-key-approval": [
        f"{RECORD}:5: unknown key 'minutes' — did you mean 'minute'? Allowed here: date, by, version, minute, "
        "signed_by",
    ],
    "unknown-key-checks": [
        "checks.yml:3: unknown key 'retrys' — did you mean 'retries'? Allowed here: map, "
        'content_api, govuk_hosts, allow_private, not_public_hosts, statutory_hosts, ttl_days, '
        'timeout_seconds, deadline_seconds, max_redirects, retries, backoff_seconds, '
        'max_wait_seconds, requests_per_second, threads, max_body_bytes, user_agent, fail_statutory, '
        'fail_any, exclude, accept, checked_by_hand, hand_check_days',
    ],
    "unknown-key-in-braces": [
        f"{ALPHA}:26: unknown key 'note' — allowed here: date, by, version, minute, signed_by",
    ],
    "not-true-or-false": [
        f"{ALPHA}:5: nursery: 'maybe' is not true or false — write true or false",
    ],
    "list-item-not-lined-up": [
        f'{LA}:13: YAML cannot read this line: it does not line up with the lines above, or there is text '
        "after a closing quotation mark — line the key up with the others; inside '…' write an "
        'apostrophe twice (\'St Mary\'\'s\') or use "…" instead',
    ],
    "number-in-words": [
        f"{REG}:1: max_unverified_days: 'a year' is not a whole number — write a number such as 365",
    ],
    "edges-not-a-list": [
        f"{CHART}:11: edges: should be a list — write it as [first, second] or one '- item' line per item",
    ],
    "ttl-in-words": [
        "checks.yml:2: links.ttl_days: 'a week' is not a whole number — write a number such as 365",
    ],
    "version-a-number": [
        f"{RECORD}:4: version: '3.0' was read as a number or true/false, not as text — put it in quotes: "
        'version: "3.0"',
    ],
    "trust-policies-a-list": [
        f"{TRUST_FILE}:8: policies: should hold keys, not a single value — write 'key: value' lines below it, "
        'indented',
    ],
    "front-matter-a-list": [
        f'{POL}:2: this file should hold keys and values — start it with the keys described in the README',
    ],
    "impossible-date-and-urn": [
        f'{ALPHA}:3: urn: \'12345\' is not six digits — a URN is six digits, in quotes, e.g. urn: "100234"',
        f"{ALPHA}:26: '2026-02-30' is not a real date (day is out of range for month) — check the day and "
        'the month; write dates as YYYY-MM-DD',
    ],
    "impossible-dates-registry": [
        f"{REG}:8: '2025-02-29' is not a real date (day is out of range for month) — check the day and the "
        'month; write dates as YYYY-MM-DD',
        f"{REG}:9: unknown key 'knd' — did you mean 'kind'? Allowed here: title, aliases, publisher, url, "
        'edition, in_force, kind, supersedes, verified, unsure',
        f"{REG}:10: '2026-11-31' is not a real date (day is out of range for month) — check the day and "
        'the month; write dates as YYYY-MM-DD',
    ],
    "impossible-date-approval": [
        f"{RECORD}:2: '2026-11-31' is not a real date (day is out of range for month) — check the day and the "
        'month; write dates as YYYY-MM-DD',
    ],
    "impossible-date-hides-nothing": [
        f"{RECORD}:2: '2026-11-31' is not a real date (day is out of range for month) — check the day and the "
        'month; write dates as YYYY-MM-DD',
        f"{CHART}:7: unknown key 'lable' — did you mean 'label'? Allowed here: kind, label, contact, when",
        f"{POL}:13: 'school.nmae' is not a known fact — did you mean 'school.name'? A school has: id, "
        'name, urn, phase, kind, nursery, sixth_form, local_authority, address, website, contacts, values, branding, '
        'policies, published_elsewhere',
    ],
    "alias-bomb-school": [
        f"{ALPHA}:31: the alias '*d' makes this file more than 100000 values long — write the values out in "
        "full instead of repeating them with '&' anchors and '*' aliases",
    ],
    "alias-bomb-checks": [
        "checks.yml:6: the alias '*d' makes this file more than 100000 values long — write the "
        "values out in full instead of repeating them with '&' anchors and '*' aliases",
    ],
    "alias-of-itself": [
        f"{TRUST_FILE}:11: the alias '*loop' is inside the value it stands for — write the value out in full",
    ],
    "deep-nesting-authority": [
        f'{LA}:17: the values here are nested more than 50 levels deep — a policypress file needs only a '
        'few levels: check the brackets and the indentation',
    ],
    "deep-nesting-front-matter": [
        f'{POL}:11: the values here are nested more than 50 levels deep — a policypress file needs only a '
        'few levels: check the brackets and the indentation',
    ],
    "deep-block-nesting": [
        f'{REG}:60: the values here are nested more than 50 levels deep — a policypress file needs only a '
        'few levels: check the brackets and the indentation',
    ],
    "too-many-values": [
        f"{REG}:11: this file holds more than 100000 values — split it into smaller files, or remove what was "
        "pasted in by mistake",
    ],
    "over-size-policy": [
        f'{POL}:1: this file is 5.2 MB, more than the 4 MB a source file may be — split it into smaller '
        'files, or remove text pasted in by mistake',
    ],
    "over-size-registry": [
        f'{REG}:1: this file is 5.0 MB, more than the 4 MB a source file may be — split it into smaller '
        'files, or remove text pasted in by mistake',
    ],
    "latin-1-school": [
        f'{ALPHA}:2: not UTF-8 — save the file as UTF-8',
    ],
    "two-not-utf8-and-a-key": [
        f'{POL}:17: not UTF-8 — save the file as UTF-8',
        f"{LA}:3: unknown key 'webiste' — did you mean 'website'? Allowed here: id, name, website, "
        'contacts, safeguarding_partnership, procedures_url',
        f'{TRUST_FILE}:2: not UTF-8 — save the file as UTF-8',
    ],
    "latin-1-approval": [
        f'{RECORD}:5: not UTF-8 — save the file as UTF-8',
    ],
    "latin-1-checks": [
        'checks.yml:3: not UTF-8 — save the file as UTF-8',
    ],
    "latin-1-flowchart": [
        f'{CHART}:7: not UTF-8 — save the file as UTF-8',
    ],
    "utf-16-registry": [
        f'{REG}:1: not UTF-8 — save the file as UTF-8',
    ],
    "link-out-policy": [
        f'{POL}:1: this file points outside the source tree — replace the link with a real file inside the '
        'project',
    ],
    "link-out-school": [
        f'{ALPHA}:1: this file points outside the source tree — replace the link with a real file inside the '
        'project',
    ],
    "link-out-approval": [
        f'{RECORD}:1: this file points outside the source tree — replace the link with a real file inside the '
        'project',
    ],
    "link-out-new-approval": [
        'approvals/alpha/safeguarding/2026-11-21-v9.0.md:1: this file points outside the source tree '
        '— replace the link with a real file inside the project',
    ],
    "link-out-flowchart": [
        f'{CHART}:1: this file points outside the source tree — replace the link with a real file inside the '
        'project',
    ],
    "link-out-registry": [
        f'{REG}:1: this file points outside the source tree — replace the link with a real file inside the '
        'project',
    ],
    "link-out-checks": [
        'checks.yml:1: this file points outside the source tree — replace the link with a real file '
        'inside the project',
    ],
    "link-out-policies-folder": [
        f'{POL}:1: this file points outside the source tree — replace the link with a real file inside the '
        'project',
    ],
}


@pytest.mark.parametrize(("changes", "command", "expected"),
                         [pytest.param(c, cmd or ("build", "--no-pdf"), EXPECTED[i], id=i) for i, c, cmd in CASES])
def test_hostile_input_is_refused_exactly(built: Path, tmp_path: Path, changes: dict[str, Change],
                                          command: tuple[str, ...], expected: list[str]) -> None:
    root = broken_copy(built, tmp_path, changes)
    started = time.monotonic()
    result = policypress(root, *command, timeout=20)
    assert time.monotonic() - started < 20
    if os.environ.get("HOSTILE_PRINT"):
        print("\nCASE", tmp_path.name, repr(problem_lines(result.stderr)), result.returncode, result.stderr[-300:])
        return
    assert_refused(built, root, result, expected)
    assert LEAKED.strip() not in result.stderr



def test_a_byte_order_mark_is_accepted_in_every_file(built: Path, tmp_path: Path) -> None:
    """Notepad's 'UTF-8 with BOM': every source file starts with one, and the build is the same."""
    root = broken_copy(built, tmp_path, {rel: b"\xef\xbb\xbf" + text.encode() for rel, text in TEXTS.items()})
    shutil.rmtree(root / "build")
    result = build(root)
    assert result.returncode == 0, result.stderr
    assert tree_digest(root / "build" / "site") == tree_digest(built / "build" / "site")
    links = policypress(root, "check", "links", "--help")
    assert links.returncode == 0


def test_windows_line_endings_read_as_the_same_source(built: Path, tmp_path: Path) -> None:
    root = broken_copy(built, tmp_path, {rel: text.replace("\n", "\r\n") for rel, text in TEXTS.items()})
    shutil.rmtree(root / "build")
    result = build(root)
    assert result.returncode == 0, result.stderr
    assert tree_digest(root / "build" / "site") == tree_digest(built / "build" / "site")


def test_a_pipe_in_the_source_is_refused_not_waited_on(built: Path, tmp_path: Path) -> None:
    root = broken_copy(built, tmp_path, {})
    os.mkfifo(root / "content" / "policies" / "pipe.md")
    result = build(root, timeout=20)
    assert_refused(built, root, result, [
        "content/policies/pipe.md:1: this is not a file of text (a folder, pipe or device) — replace it with a text "
        "file, or move it out of the project"])


def test_an_approvals_folder_linked_out_of_the_project_is_not_published(built: Path, tmp_path: Path) -> None:
    """approvals/alpha links to another project's approvals: its minute is refused, never published."""
    root = broken_copy(built, tmp_path, {})
    elsewhere = tmp_path / "outside" / "approvals" / "safeguarding"
    elsewhere.mkdir(parents=True)
    shutil.copy(tmp_path / "outside" / "secret.md", elsewhere / "2026-11-21-v9.0.md")
    shutil.rmtree(root / "approvals" / "alpha")
    (root / "approvals" / "alpha").symlink_to(tmp_path / "outside" / "approvals")
    result = build(root)
    assert_refused(built, root, result, [
        "approvals/alpha/safeguarding/2026-11-21-v9.0.md:1: this file points outside the source tree — replace the "
        "link with a real file inside the project"])
    assert LEAKED.strip() not in result.stderr


def test_a_megabyte_paragraph_of_backticks_is_sanitised_at_once() -> None:
    """The code-span search is linear: a hang guard here, the real figure is in the README."""
    for paragraph in ("`" * 1_000_000, "` " * 500_000, "``a`" * 250_000, "```\n" * 250_000):
        started = time.monotonic()
        assert sanitise(paragraph) == paragraph
        assert time.monotonic() - started < 10


def test_the_alias_bomb_is_refused_in_milliseconds() -> None:
    started = time.monotonic()
    with pytest.raises(YamlProblem) as refused:
        load_yaml(BOMB, CHECKS)
    assert time.monotonic() - started < 1
    assert str(refused.value.problem).startswith("checks.yml:6: the alias '*d' makes this file more than 100000")
