"""`policypress check` alone (every check, one exit code, one JSON) and what every check gives CI:
GitHub Actions annotations (--annotations) and JUnit XML (--junit FILE)."""

from __future__ import annotations

import json
import re
import socket
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import POLICY
from policypress.checks.ci_output import NotRun, annotation_lines, escape_data, escape_property, junit_xml
from policypress.checks.findings import CheckResult, Finding, Place
from policypress.commands.cli import cli
from tree_tools import copy_example, run

MakeProject = Callable[..., Path]
TODAY = "2026-11-22"
SAFEGUARDING = "content/policies/safeguarding.md"
# ::error file=…,line=…,title=…::message — properties never hold a raw ':' or ',', the message no raw new line
ANNOTATION = re.compile(r"^::(error|warning) file=([^:,]+),line=(\d+),title=([^:,]+)::([^\r\n]*)$")
CHECKS = ["content", "reviews", "publishing", "links"]


def unescape(text: str) -> str:
    """What GitHub's runner reads back from an escaped workflow command value."""
    for escaped, raw in (("%2C", ","), ("%3A", ":"), ("%0A", "\n"), ("%0D", "\r"), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("example") / "project")


def with_findings(make_project: MakeProject) -> Path:
    """The minimal tree with content findings: a placeholder link and a picture from another website."""
    text = POLICY.replace("All staff are trained every year.",
                          "All staff are trained every year. See [the form](#), ![Our logo](https://img.example.org/a.png).")
    return make_project({SAFEGUARDING: text})


def test_the_example_fails_on_publishing_and_reviews_and_the_json_holds_every_check(example: Path,
                                                                                   tmp_path: Path) -> None:
    report = tmp_path / "all.json"
    result = run(example, "check", "--offline", "--today", TODAY, "--json", str(report))
    assert result.returncode == 1, result.stderr
    headings = [line for line in result.stdout.splitlines() if line.startswith("== ")]
    assert headings == [f"== {name} ==" for name in CHECKS]
    assert "skipped: --offline: links were not checked" in result.stdout
    assert "--offline: the 70 document(s) published elsewhere were not fetched" in result.stdout
    document = json.loads(report.read_text(encoding="utf-8"))
    assert set(document) == {"exit_code", "status", "checks"} and document["exit_code"] == 1
    assert list(document["checks"]) == CHECKS
    assert document["status"] == {"content": "passes", "reviews": "fails", "publishing": "fails", "links": "skipped"}
    failing = {(f["school"], f["requirement"]) for f in document["checks"]["publishing"]["findings"] if f["fails"]}
    assert failing == {("hillcrest-primary", "send-information-report"), ("hillcrest-primary", "equality-information")}
    assert document["checks"]["content"]["count"] == 0
    assert document["checks"]["links"] == {"skipped": "--offline: links were not checked (run `policypress check "
                                                      "links` where the internet can be reached)."}
    assert result.stdout.splitlines()[-1] == ("policypress check: content passes, reviews fails, publishing fails, "
                                              "links skipped (exit 1).")


def test_the_combined_run_finds_what_the_separate_runs_find(example: Path, tmp_path: Path) -> None:
    combined = tmp_path / "all.json"
    result = run(example, "check", "--offline", "--today", TODAY, "--json", str(combined), "--annotations")
    lines = [line for line in result.stdout.splitlines() if line.startswith("::")]
    documents, separate_lines = {}, []
    for name, extra in (("content", ["--today", TODAY]), ("reviews", ["--today", TODAY]),
                        ("publishing", ["--today", TODAY, "--offline"])):
        alone = run(example, "check", name, *extra, "--json", str(tmp_path / f"{name}.json"), "--annotations")
        documents[name] = json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))
        separate_lines += [line for line in alone.stdout.splitlines() if line.startswith("::")]
    checks = json.loads(combined.read_text(encoding="utf-8"))["checks"]
    assert {name: checks[name] for name in documents} == documents
    assert lines == separate_lines and len(lines) == 9


def test_wrong_input_stops_the_run_with_exit_2_and_writes_no_json(make_project: MakeProject, tmp_path: Path) -> None:
    root = make_project({"schools/test-trust/alpha.yml": "id: alpha\nname: [not a name\n"})
    report = tmp_path / "all.json"
    result = run(root, "check", "--offline", "--today", TODAY, "--json", str(report), "--junit",
                 str(tmp_path / "j.xml"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "schools/test-trust/alpha.yml" in result.stderr and "nothing was written" in result.stderr
    assert "== reviews ==" not in result.stdout
    assert not report.exists() and not (tmp_path / "j.xml").exists()


def test_no_publishing_file_is_a_note_not_an_error_and_a_clean_project_exits_0(make_project: MakeProject,
                                                                               tmp_path: Path) -> None:
    report = tmp_path / "all.json"
    result = run(make_project(), "check", "--offline", "--today", TODAY, "--json", str(report))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "skipped: the project has no content/publishing.yml, so there are no publishing requirements" \
        in result.stdout
    status = json.loads(report.read_text(encoding="utf-8"))["status"]
    assert status == {"content": "passes", "reviews": "passes", "publishing": "skipped", "links": "skipped"}


def test_options_before_a_named_check_are_refused(make_project: MakeProject) -> None:
    result = run(make_project(), "check", "--today", TODAY, "content")
    assert result.returncode == 2
    assert "--today goes after the check's name: policypress check content --today" in result.stderr


def test_a_check_that_could_not_run_makes_exit_3_and_an_error_in_ci(make_project: MakeProject, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    root = with_findings(make_project)  # content fails (1), but links could not run: 3 wins

    def offline(*_args: object, **_kwargs: object) -> list[tuple[object, ...]]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    (root / "checks.yml").write_text(json.dumps({"links": {"retries": 0, "timeout_seconds": 0.5}}), encoding="utf-8")
    monkeypatch.setattr(socket, "getaddrinfo", offline)
    junit = tmp_path / "j.xml"
    result = CliRunner().invoke(cli, ["--root", str(root), "check", "--today", TODAY, "--json",
                                      str(tmp_path / "a.json"), "--junit", str(junit), "--annotations"])
    assert result.exit_code == 3, result.output
    assert "error: the check could not run: this computer seems to be offline" in result.output
    assert "::error title=policypress check links could not run::this computer seems to be offline" in result.output
    document = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert document["exit_code"] == 3 and document["status"]["links"] == "could-not-run"
    links = ET.parse(junit).getroot().find("testsuite[@name='policypress check links']")
    assert links is not None and links.get("errors") == "1" and links.find("testcase/error") is not None
    alone = CliRunner().invoke(cli, ["--root", str(root), "check", "links", "--junit", str(tmp_path / "l.xml")])
    assert alone.exit_code == 3 and ET.parse(tmp_path / "l.xml").getroot().get("errors") == "1"


def test_annotations_of_a_check_parse_and_say_what_its_json_says(make_project: MakeProject, tmp_path: Path) -> None:
    root = with_findings(make_project)
    result = run(root, "check", "content", "--today", TODAY, "--json", str(tmp_path / "c.json"), "--annotations")
    assert result.returncode == 1
    findings = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["findings"]
    lines = result.stdout.splitlines()[-len(findings):]
    assert result.stdout.splitlines()[-len(findings) - 1].startswith(f"{len(findings)} finding(s)")  # after the output
    parsed = [ANNOTATION.match(line) for line in lines]
    assert all(parsed), lines
    assert [(m[1], unescape(m[2]), int(m[3]), unescape(m[4]), unescape(m[5])) for m in parsed if m] == [
        ("error" if f["fails"] else "warning", f["path"], f["line"], f["kind"], f"{f['what']} — {f['fix']}")
        for f in findings]
    assert {f["kind"] for f in findings} >= {"outside-image", "placeholder-link"}


def test_annotations_go_to_stderr_when_the_json_goes_to_stdout(example: Path) -> None:
    result = run(example, "check", "publishing", "--offline", "--today", TODAY, "--json", "--annotations")
    assert json.loads(result.stdout)["failing"] == 2
    assert sum(line.startswith("::error ") for line in result.stderr.splitlines()) == 2


def finding(path: str, what: str, kind: str = "odd-kind", fails: bool = True, places: int = 1) -> Finding:
    return Finding(tuple(Place(path, n + 3) for n in range(places)), kind, what, "fix it, 100%", fails=fails)


def test_annotations_escape_percent_new_lines_colons_and_commas() -> None:
    odd = finding("content/a:b,c%.md", "50% done\r\nnext: a, b", kind="kind:x,y")
    [line] = annotation_lines([("content", CheckResult([odd], "", {}, True))])
    assert line == ("::error file=content/a%3Ab%2Cc%25.md,line=3,title=kind%3Ax%2Cy::"
                    "50%25 done%0D%0Anext: a, b — fix it, 100%25")
    assert escape_data("a%0A\n") == "a%250A%0A" and unescape(escape_property("x:%,\ny")) == "x:%,\ny"
    warning = finding("p.md", "maybe", fails=False, places=8)
    [line] = annotation_lines([("links", CheckResult([warning], "", {}, False))])
    assert line.startswith("::warning file=p.md,line=3,title=odd-kind::maybe — fix it, 100%25 (also at p.md:4, ")
    assert line.endswith("p.md:8 and 2 more)")


def test_junit_counts_match_the_findings_and_is_the_same_every_time(example: Path, tmp_path: Path) -> None:
    first, again = tmp_path / "j1.xml", tmp_path / "j2.xml"
    for target in (first, again):
        run(example, "check", "--offline", "--today", TODAY, "--json", str(tmp_path / "all.json"), "--junit",
            str(target))
    assert first.read_bytes() == again.read_bytes()
    checks: dict[str, Any] = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))["checks"]
    suites = {s.get("name"): s for s in ET.parse(first).getroot().iter("testsuite")}
    assert list(suites) == [f"policypress check {name}" for name in CHECKS]
    publishing = suites["policypress check publishing"]
    assert publishing.get("tests") == str(checks["publishing"]["count"]) == "5"
    assert publishing.get("failures") == str(checks["publishing"]["failing"]) == "2"
    assert len(publishing.findall("testcase/failure")) == 2
    content = suites["policypress check content"]
    assert [c.get("name") for c in content.iter("testcase")] == ["content: no findings"]
    assert content.find("testcase/failure") is None
    links = suites["policypress check links"]
    assert links.get("skipped") == "1" and links.find("testcase/skipped") is not None


def test_junit_of_a_failing_check_has_a_failure_per_failing_finding(make_project: MakeProject, tmp_path: Path) -> None:
    root = with_findings(make_project)
    junit = tmp_path / "reports" / "content.xml"
    run(root, "check", "content", "--today", TODAY, "--json", str(tmp_path / "c.json"), "--junit", str(junit))
    findings = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["findings"]
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("name") == "policypress check content"
    cases = suite.findall("testcase")
    assert [(c.get("file"), c.get("line")) for c in cases] == [(f["path"], str(f["line"])) for f in findings]
    assert [c.find("failure") is not None for c in cases] == [f["fails"] for f in findings]
    assert suite.get("failures") == str(sum(f["fails"] for f in findings))


def test_junit_keeps_characters_xml_cannot_hold_out() -> None:
    text = junit_xml([("content", CheckResult([finding("a.md", "bell \x07 <b> & \"q\"")], "", {}, True)),
                      ("links", NotRun("offline", error=True))])
    root = ET.fromstring(text)
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "bell \ufffd <b> & \"q\""
    assert root.get("tests") == "2" and root.get("failures") == "1" and root.get("errors") == "1"
