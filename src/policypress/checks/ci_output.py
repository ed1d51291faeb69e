"""What a CI system reads from the checks: GitHub Actions annotations and JUnit XML.

Both are made from the same list of (check name, outcome): a CheckResult, or NotRun when the
check was skipped on purpose (--offline) or could not run (exit 3). One annotation and one
JUnit test case per finding; a finding that fails is an error / a <failure>, one that does not
is a warning / a passing test case. The XML holds no times or host names, so the same findings
give the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from policypress.checks.findings import CheckResult, Finding
from policypress.core.files import write_file

MORE_PLACES = 5  # a finding used in many places (a link) names this many more in its message
# XML 1.0 cannot hold these characters at all, even escaped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class NotRun:
    """A check that gave no result: skipped on purpose, or it could not run."""

    reason: str
    """Why, in words."""
    error: bool = False
    """True: it could not run (exit 3, an error in CI); False: skipped on purpose."""


Outcome = CheckResult | NotRun
Runs = Sequence[tuple[str, Outcome]]


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's runner reads it back."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (file, title): also ':' and ',', which end it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def message(finding: Finding) -> str:
    """What is wrong and what to do, with a link's address and the other places it is written."""
    text = f"{finding.what} — {finding.fix}"
    if "://" in finding.subject and finding.subject not in text:  # a link's address; not an id
        text = f"{finding.subject}: {text}"
    others = [str(place) for place in finding.places[1:]]
    if others:
        shown = ", ".join(others[:MORE_PLACES]) + (f" and {len(others) - MORE_PLACES} more"
                                                    if len(others) > MORE_PLACES else "")
        text += f" (also at {shown})"
    return text


def annotation(finding: Finding) -> str:
    """`::error file=…,line=…,title=KIND::WHAT — FIX` (`::warning` for a finding that does not fail)."""
    level = "error" if finding.fails else "warning"
    properties = [f"file={escape_property(finding.path)}"]
    if finding.line >= 1:
        properties.append(f"line={finding.line}")
    properties.append(f"title={escape_property(finding.kind)}")
    return f"::{level} {','.join(properties)}::{escape_data(message(finding))}"


def annotation_lines(runs: Runs) -> list[str]:
    """One workflow command per finding of every check, and one error per check that could not run."""
    lines: list[str] = []
    for name, outcome in runs:
        if isinstance(outcome, NotRun):
            if outcome.error:
                title = escape_property(f"policypress check {name} could not run")
                lines.append(f"::error title={title}::{escape_data(outcome.reason)}")
            continue
        lines.extend(annotation(finding) for finding in outcome.findings)
    return lines


def junit_xml(runs: Runs) -> str:
    """JUnit XML: a <testsuite> per check, a <testcase> per finding (a passing one when there are none)."""
    suites = [_suite(name, outcome) for name, outcome in runs]
    root = ET.Element("testsuites", name="policypress check", tests=str(sum(int(s.get("tests", 0)) for s in suites)),
                      failures=str(sum(int(s.get("failures", 0)) for s in suites)),
                      errors=str(sum(int(s.get("errors", 0)) for s in suites)),
                      skipped=str(sum(int(s.get("skipped", 0)) for s in suites)))
    root.extend(suites)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(runs: Runs, target: Path) -> None:
    """The JUnit XML of runs, written to target in one step."""
    write_file(target, junit_xml(runs))


def _suite(name: str, outcome: Outcome) -> ET.Element:
    cases = _not_run_cases(name, outcome) if isinstance(outcome, NotRun) else _finding_cases(name, outcome)
    suite = ET.Element("testsuite", name=f"policypress check {name}", tests=str(len(cases)),
                       failures=str(sum(c.find("failure") is not None for c in cases)),
                       errors=str(sum(c.find("error") is not None for c in cases)),
                       skipped=str(sum(c.find("skipped") is not None for c in cases)))
    suite.extend(cases)
    return suite


def _finding_cases(name: str, result: CheckResult) -> list[ET.Element]:
    if not result.findings:
        return [_case(name, f"{name}: no findings")]
    return [_finding_case(name, finding) for finding in result.findings]


def _finding_case(name: str, finding: Finding) -> ET.Element:
    case = _case(name, f"{finding.place} {finding.kind}", file=finding.path, line=str(finding.line))
    text = _xml_text(message(finding))
    if finding.fails:
        ET.SubElement(case, "failure", type=finding.kind, message=_xml_text(finding.what)).text = text
    else:
        ET.SubElement(case, "system-out").text = f"warning: {text}"
    return case


def _not_run_cases(name: str, outcome: NotRun) -> list[ET.Element]:
    case = _case(name, f"{name}: could not run" if outcome.error else f"{name}: skipped")
    ET.SubElement(case, "error" if outcome.error else "skipped", message=_xml_text(outcome.reason))
    return [case]


def _case(check: str, name: str, **attributes: str) -> ET.Element:
    return ET.Element("testcase", {"classname": f"policypress.check.{check}", "name": _xml_text(name), **attributes})


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
