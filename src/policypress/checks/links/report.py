"""`policypress check links` as a check: settings and options in, a CheckResult out (a table a
school office can read, the documented JSON, and build/reports/links.html).

Every finding says when its address was last checked and how (fetched in this run, from the
cache, by hand, or not at all); the JSON and the HTML report say it of every address.
"""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from policypress.checks.findings import CheckResult, Finding
from policypress.checks.links.judge import AddressResult, LinkReport, LinkRequest, check_links
from policypress.checks.links.settings import load_settings, with_options
from policypress.checks.report import write_html
from policypress.core.errors import CheckCouldNotRun

HTML_REPORT = Path("build") / "reports" / "links.html"
LABELS: dict[str, str] = {"broken": "Broken", "certificate": "Certificate", "withdrawn": "Withdrawn",
                          "superseded": "Superseded",
                          "not_public": "Not public", "moved": "Moved", "placeholder": "Placeholder",
                          "unverified": "Unverified"}
RESULTS: dict[str, str] = {**LABELS, "ok": "Works", "excluded": "Excluded", "not_fetched": "Not fetched"}
SHOWN_PLACES = 6


def run(root: Path, /, schools: tuple[str, ...] = (), refresh: bool = False, strict: bool = False,
        config_file: Path | None = None, **options: object) -> CheckResult:
    """Check every link of the chosen schools; write the HTML report. options: LinkSettings' fields."""
    settings = with_options(load_settings(root, config_file), strict, **options)
    report = check_links(LinkRequest(root, settings, schools, refresh))
    notes = run_notes(report)
    html = write_html(root, "links.html.j2", root / HTML_REPORT, report=report, labels=LABELS, notes=notes,
                      results=RESULTS)
    if report.stats.could_not_run:
        raise CheckCouldNotRun(f"{report.stats.network}; not one website could be reached, so no link was "
                               f"checked and nothing was kept in the cache (the report, {html}, lists them "
                               "as unverified). Run it again once this computer reaches the internet.")
    shown: list[Table | str] = [links_table(report)] if report.findings else []
    shown += [accepted_table(report)] if report.accepted else []
    shown += hand_lines(report)
    return CheckResult(report.findings, summary_line(report), links_document(report), bool(report.failing),
                       shown=shown, notes=[*notes, f"HTML report: {html}"])


def run_notes(report: LinkReport) -> list[str]:
    """What stood in the run's way, each said once: the network here, GOV.UK's content API."""
    stats = report.stats
    notes = [f"Network: {stats.network}; those links are unverified, not broken."] if stats.network else []
    notes += [f"Warning: {warning}" for warning in report.warnings]
    if stats.api_problems:
        shown = "; ".join(stats.api_problems[:3]) + (" …" if len(stats.api_problems) > 3 else "")
        notes.append(f"GOV.UK's content API gave no answer for {len(stats.api_problems)} page(s), so whether "
                     f"they were withdrawn is unverified: {shown}")
    return notes


def links_document(report: LinkReport) -> dict[str, object]:
    """{"summary": {…}, "findings": [{url, kind, …, checked_at, from_cache, checked_by_hand}], "accepted": [… with
    accepted: {reason, entry}], "addresses": [{url, result, checked_at, from_cache, checked_by_hand, excluded}]}."""
    stats = report.stats
    counts = _counts(report)
    summary = {"schools": report.schools, "links": report.links, "unique_urls": stats.unique,
               "from_cache": stats.from_cache, "fetched": stats.fetched, "content_api_lookups": stats.api_lookups,
               "findings": len(report.findings), "failing": len(report.failing), "accepted": len(report.accepted),
               "excluded": counts["excluded"], "checked_by_hand": counts["hand"],
               "hand_checks_expired": counts["expired"], "warnings": report.warnings,
               "network": stats.network or None, "content_api_problems": stats.api_problems}
    return {"summary": summary, "findings": [finding_json(f, report) for f in report.findings],
            "accepted": [finding_json(f, report) for f in report.accepted],
            "addresses": [address_json(a) for _, a in sorted(report.addresses.items())]}


def finding_json(finding: Finding, report: LinkReport | None = None) -> dict[str, object]:
    """One address's finding as the README documents it, with when and how its address was last checked."""
    found = {"url": finding.subject, "kind": finding.kind, "statutory": finding.statutory, "fails": finding.fails,
             "what": finding.what, "fix": finding.fix, "new_url": finding.new_url or None,
             "schools": finding.schools,
             "where": [{"school": p.school, "policy": p.policy, "file": p.path, "line": p.line}
                       for p in finding.places]}
    address = report.addresses.get(finding.subject) if report else None
    if address:
        found |= _when(address)
        if address.accepted:
            found["accepted"] = {"reason": address.accepted.reason, "entry": address.accepted.where}
    return found


def address_json(address: AddressResult) -> dict[str, object]:
    """One address: its result, when and how it was last checked."""
    excluded = address.excluded
    return {"url": address.url, "result": address.result, **_when(address),
            "accepted": bool(address.accepted),
            "excluded": {"reason": excluded.reason, "entry": excluded.where} if excluded else None}


def _when(address: AddressResult) -> dict[str, object]:
    seen, hand = address.seen, address.hand
    return {"checked_at": seen.checked_at if seen else None, "from_cache": bool(seen and seen.from_cache),
            "checked": address.checked_words(), "checked_by_hand": hand.as_json() if hand else None}


def _counts(report: LinkReport) -> dict[str, int]:
    addresses = report.addresses.values()
    return {"excluded": sum(1 for a in addresses if a.excluded),
            "hand": sum(1 for a in addresses if a.hand and not a.hand.expired),
            "expired": sum(1 for a in addresses if a.hand and a.hand.expired)}


def _findings_table(title: str, last_column: str) -> Table:
    table = Table(title=title, show_lines=True, expand=True)
    table.add_column("Problem", min_width=12, ratio=1)
    table.add_column("Link, and where it is written", overflow="fold", ratio=3)
    table.add_column(last_column, overflow="fold", ratio=3)
    return table


def links_table(report: LinkReport) -> Table:
    """The findings as a table a school office can read."""
    table = _findings_table("Links to fix, most serious first", "What is wrong, and what to do")
    for finding in report.findings:
        table.add_row(_problem_cell(finding), _link_cell(finding, report),
                      f"{_sentence(finding.what)}\nTo fix: {_sentence(finding.fix)}")
    return table


def accepted_table(report: LinkReport) -> Table:
    """The findings checks.yml accepts, each with its reason: never failing the check."""
    table = _findings_table("Accepted in checks.yml (not failing the check)", "What is wrong, and why it is accepted")
    for finding in report.accepted:
        entry = report.addresses[finding.subject].accepted
        why = f"{(entry and entry.reason) or 'no reason given'} ({entry and entry.where})"
        table.add_row(f"{LABELS[finding.kind]}{' (statutory)' if finding.statutory else ''}\naccepted",
                      _link_cell(finding, report), f"{_sentence(finding.what)}\nAccepted: {_sentence(why)}")
    return table


def hand_lines(report: LinkReport) -> list[str]:
    """One line per address checked by hand and not fetched in this run."""
    hand = [a for _, a in sorted(report.addresses.items()) if a.hand and not a.hand.expired and not a.excluded]
    return ["Checked by hand, not fetched:", *(f"• {a.url}: {a.checked_words()}" for a in hand)] if hand else []


def _link_cell(finding: Finding, report: LinkReport) -> str:
    address = report.addresses.get(finding.subject)
    when = f"\n{address.checked_words()[0].upper()}{address.checked_words()[1:]}" if address else ""
    return f"{finding.subject or '(empty link)'}\n{_places(finding)}{when}"


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
    counts = _counts(report)
    lists = [f"{counts['excluded']} excluded"] if counts["excluded"] else []
    lists += [f"{counts['hand']} checked by hand"] if counts["hand"] else []
    lists += [f"{counts['expired']} hand check(s) expired"] if counts["expired"] else []
    accepted = f", {len(report.accepted)} accepted in checks.yml" if report.accepted else ""
    return (f"{report.links} links ({stats.unique} web addresses) in {report.schools} school(s): "
            f"{stats.fetched} fetched, {stats.from_cache} from the cache, {stats.api_lookups} GOV.UK "
            f"content API lookups{''.join(f', {item}' for item in lists)}. {len(report.findings)} finding(s), "
            f"{len(report.failing)} failing the check{accepted}.")


def _sentence(words: str) -> str:
    """Words ending with a full stop, unless they already end with one, a question or an exclamation."""
    return words if words.endswith((".", "?", "!")) else f"{words}."
