"""`policypress check links` as a check: settings and options in, a CheckResult out (a table a
school office can read, the documented JSON, and build/reports/links.html).
"""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from policypress.checks.findings import CheckResult, Finding
from policypress.checks.links.judge import LinkReport, LinkRequest, check_links
from policypress.checks.links.settings import load_settings, with_options
from policypress.checks.report import write_html
from policypress.core.errors import CheckCouldNotRun

HTML_REPORT = Path("build") / "reports" / "links.html"
LABELS: dict[str, str] = {"broken": "Broken", "certificate": "Certificate", "withdrawn": "Withdrawn",
                          "superseded": "Superseded",
                          "not_public": "Not public", "moved": "Moved", "placeholder": "Placeholder",
                          "unverified": "Unverified"}
SHOWN_PLACES = 6


def run(root: Path, /, schools: tuple[str, ...] = (), refresh: bool = False, strict: bool = False,
        config_file: Path | None = None, **options: object) -> CheckResult:
    """Check every link of the chosen schools; write the HTML report. options: LinkSettings' fields."""
    settings = with_options(load_settings(root, config_file), strict, **options)
    report = check_links(LinkRequest(root, settings, schools, refresh))
    notes = run_notes(report)
    html = write_html(root, "links.html.j2", root / HTML_REPORT, report=report, labels=LABELS, notes=notes)
    if report.stats.could_not_run:
        raise CheckCouldNotRun(f"{report.stats.network}; not one website could be reached, so no link was "
                               f"checked and nothing was kept in the cache (the report, {html}, lists them "
                               "as unverified). Run it again once this computer reaches the internet.")
    shown = [links_table(report)] if report.findings else []
    return CheckResult(report.findings, summary_line(report), links_document(report), bool(report.failing),
                       shown=shown, notes=[*notes, f"HTML report: {html}"])


def run_notes(report: LinkReport) -> list[str]:
    """What stood in the run's way, each said once: the network here, GOV.UK's content API."""
    stats = report.stats
    notes = [f"Network: {stats.network}; those links are unverified, not broken."] if stats.network else []
    if stats.api_problems:
        shown = "; ".join(stats.api_problems[:3]) + (" …" if len(stats.api_problems) > 3 else "")
        notes.append(f"GOV.UK's content API gave no answer for {len(stats.api_problems)} page(s), so whether "
                     f"they were withdrawn is unverified: {shown}")
    return notes


def links_document(report: LinkReport) -> dict[str, object]:
    """{"summary": {…}, "findings": [{url, kind, statutory, fails, what, fix, new_url, schools, where}]}."""
    stats = report.stats
    summary = {"schools": report.schools, "links": report.links, "unique_urls": stats.unique,
               "from_cache": stats.from_cache, "fetched": stats.fetched, "content_api_lookups": stats.api_lookups,
               "findings": len(report.findings), "failing": len(report.failing),
               "network": stats.network or None, "content_api_problems": stats.api_problems}
    return {"summary": summary, "findings": [finding_json(f) for f in report.findings]}


def finding_json(finding: Finding) -> dict[str, object]:
    """One address's finding as the README documents it."""
    return {"url": finding.subject, "kind": finding.kind, "statutory": finding.statutory, "fails": finding.fails,
            "what": finding.what, "fix": finding.fix, "new_url": finding.new_url or None,
            "schools": finding.schools,
            "where": [{"school": p.school, "policy": p.policy, "file": p.path, "line": p.line}
                      for p in finding.places]}


def links_table(report: LinkReport) -> Table:
    """The findings as a table a school office can read."""
    table = Table(title="Links to fix, most serious first", show_lines=True, expand=True)
    table.add_column("Problem", min_width=12, ratio=1)
    table.add_column("Link, and where it is written", overflow="fold", ratio=3)
    table.add_column("What is wrong, and what to do", overflow="fold", ratio=3)
    for finding in report.findings:
        table.add_row(_problem_cell(finding), f"{finding.subject or '(empty link)'}\n{_places(finding)}",
                      f"{_sentence(finding.what)}\nTo fix: {_sentence(finding.fix)}")
    return table


def _problem_cell(finding: Finding) -> str:
    level = "FAILS" if finding.fails else "warning"
    return f"{LABELS[finding.kind]}{' (statutory)' if finding.statutory else ''}\n{level}"


def _places(finding: Finding) -> str:
    lines = [f"• {p.school}, {p.policy}: {p.path}:{p.line}" for p in finding.places[:SHOWN_PLACES]]
    more = len(finding.places) - SHOWN_PLACES
    return "\n".join(lines + ([f"… and {more} more"] if more > 0 else []))


def summary_line(report: LinkReport) -> str:
    """One line of totals: links, addresses, what the run cost, and what it found."""
    stats = report.stats
    return (f"{report.links} links ({stats.unique} web addresses) in {report.schools} school(s): "
            f"{stats.fetched} fetched, {stats.from_cache} from the cache, {stats.api_lookups} GOV.UK "
            f"content API lookups. {len(report.findings)} finding(s), {len(report.failing)} failing the check.")


def _sentence(words: str) -> str:
    """Words ending with a full stop, unless they already end with one, a question or an exclamation."""
    return words if words.endswith((".", "?", "!")) else f"{words}."
