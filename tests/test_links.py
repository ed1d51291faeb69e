"""`policypress check links` against a fake GOV.UK on 127.0.0.1: no internet needed.

The check's own fetcher really runs (checks/links/fetch.py), and every request is
counted at the fake server, so "one request per unique address" and "none from the cache's
second run" are measured, not assumed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import fake_govuk as fake
from conftest import POLICY, REGISTRY, REPO
from fake_govuk import FakeGovUk
from policypress.checks.links.fetch import Fetcher
from policypress.checks.links.gather import gather_links, link_targets
from policypress.checks.links.govuk import content_api_notice
from policypress.checks.links.settings import LinkSettings, to_checked, to_upstream
from policypress.checks.links.verdicts import retry_after_seconds
from policypress.compose.load import load_project

HILLCREST = "schools/oakfield-learning-trust/hillcrest-primary.yml"
GOVUK = "https://www.gov.uk"
WITHDRAWN_URL = GOVUK + fake.WITHDRAWN
KCSIE_2023 = ("https://assets.publishing.service.gov.uk/media/64f0a68ea78c5f000dc6f3b2/"
              "Keeping_children_safe_in_education_2023.pdf")
SHAREPOINT = "https://oakfieldtrust.sharepoint.com/sites/staff/Shared%20Documents/Safeguarding.docx"
OVERLAY = f"""\
        - section: early-help
          action: append
          text: |
            The DfE's [list of statutory policies]({WITHDRAWN_URL}) says which policies we must have.
            Staff read [Keeping children safe in education 2023]({KCSIE_2023}) every September.
            Our local procedures are on [the staff SharePoint]({SHAREPOINT}).
            The [referral form](#) is in the office.
"""
FAST = {"requests_per_second": 50, "timeout_seconds": 1, "retries": 1, "backoff_seconds": 0.1,
        "allow_private": ["127.0.0.1"]}


@pytest.fixture
def govuk() -> Iterator[FakeGovUk]:
    with FakeGovUk(slow_seconds=3) as server:
        yield server


def policypress(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "policypress", "--root", str(root), "check", "links", *args],
                          capture_output=True, text=True, timeout=600, check=False)


CONTACTS_PAGE_HOSTS = {"alpha.example.org", "procedures.northshire.example.org"}


def write_checks(root: Path, base: str, hosts: set[str], **settings: object) -> None:
    """checks.yml mapping every host onto the fake server (GOV.UK at its root, the rest under /HOST/), with
    the hosts of the minimal tree's contacts page (the school's website, the procedures) as pages that are there."""
    mapping = {f"https://{h}/": f"{base}/" if h == "www.gov.uk" else f"{base}/{h}/"
               for h in sorted(hosts | CONTACTS_PAGE_HOSTS)}
    (root / "checks.yml").write_text(json.dumps({"links": {"map": mapping, **FAST, **settings}}), encoding="utf-8")


def example_with_bad_overlay(tmp_path: Path) -> Path:
    """A copy of the example where Hillcrest's child protection overlay cites four bad links."""
    root = tmp_path / "example"
    for name in ("content", "schools", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    school = root / HILLCREST
    text = school.read_text(encoding="utf-8")
    anchor = "  anti-bullying: {}"
    assert anchor in text
    school.write_text(text.replace(anchor, OVERLAY + anchor, 1), encoding="utf-8")
    return root


def web_hosts(root: Path) -> set[str]:
    return {urlsplit(link.url).hostname or "" for link in gather_links(load_project(root))
            if link.url.startswith("https://") and "sharepoint" not in link.url}


def test_example_with_bad_links_names_each_with_its_fix_and_fetches_each_address_once(
        tmp_path: Path, govuk: FakeGovUk) -> None:
    root = example_with_bad_overlay(tmp_path)
    hosts = web_hosts(root)
    write_checks(root, govuk.base, hosts)
    result = policypress(root, "--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    found = {f["url"]: f for f in report["findings"]}
    assert set(found) == {WITHDRAWN_URL, KCSIE_2023, SHAREPOINT, "#"}

    withdrawn = found[WITHDRAWN_URL]
    assert (withdrawn["kind"], withdrawn["statutory"], withdrawn["fails"]) == ("withdrawn", True, True)
    assert withdrawn["what"] == f"GOV.UK withdrew it on 2024-03-07: {fake.WITHDRAWN_EXPLANATION}"
    assert withdrawn["fix"].startswith("remove the link, or cite the guidance that replaced it")
    superseded = found[KCSIE_2023]
    assert (superseded["kind"], superseded["statutory"], superseded["fails"]) == ("superseded", True, True)
    assert superseded["what"] == ("this is the 2023 edition of 'Keeping children safe in education'; "
                                  "the current edition is 2025 (in force from 2025-09-01)")
    assert superseded["fix"].startswith('write {{ ref("kcsie") }} instead')
    assert superseded["new_url"] == "https://www.gov.uk/government/publications/keeping-children-safe-in-education--2"
    assert (found[SHAREPOINT]["kind"], found[SHAREPOINT]["fails"]) == ("not_public", False)
    assert "publish the document where parents can read it" in found[SHAREPOINT]["fix"]
    assert (found["#"]["kind"], found["#"]["fix"]) == ("placeholder", "put in the real address, or remove the link")

    overlay_line = (root / HILLCREST).read_text(encoding="utf-8").splitlines().index(
        f"            The DfE's [list of statutory policies]({WITHDRAWN_URL}) says which policies we must have.") + 1
    for offset, url in enumerate([WITHDRAWN_URL, KCSIE_2023, SHAREPOINT, "#"]):
        assert found[url]["schools"] == ["hillcrest-primary"]
        assert found[url]["where"] == [{"school": "hillcrest-primary", "policy": "child-protection",
                                        "file": HILLCREST, "line": overlay_line + offset}]
    assert [f["url"] for f in report["findings"]][:2] == [WITHDRAWN_URL, KCSIE_2023]  # failing, statutory first

    pages = govuk.pages_requested()
    assert set(pages.values()) == {1}, pages  # one request per unique address, however many schools use it
    # the policies' 18 addresses, the contacts pages' websites (4 schools', 4 council pages), the
    # support services' entries (4 web addresses) and the documents schools publish elsewhere, whose
    # addresses that differ only in their #part are one page, fetched once
    elsewhere = {doc.url for school in load_project(root).schools.values()
                 for doc in school.source.model.published_elsewhere.values()}
    addresses = 18 + 8 + 4 + len(elsewhere)
    fetched = 18 + 8 + 4 + len({url.split("#")[0] for url in elsewhere})
    assert report["summary"]["unique_urls"] == addresses
    assert len(pages) == report["summary"]["fetched"] == fetched
    assert govuk.user_agents == {LinkSettings().user_agent}
    starts = sorted(t for path, times in govuk.times.items() if not path.startswith(fake.CONTENT_API) for t in times)
    gap = 1 / FAST["requests_per_second"]  # type: ignore[operator]
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.5 * gap  # one host: requests spaced out
    html = (root / "build" / "reports" / "links.html").read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in html and "Withdrawn · statutory:" in html and "hillcrest-primary" in html
    assert "Links to fix" in result.stderr and "Withdrawn" in result.stderr

    govuk.reset()
    again = policypress(root, "--json")
    assert again.returncode == 1
    assert sum(govuk.requests.values()) == 0  # within the TTL: everything from the cache
    assert without_when(json.loads(again.stdout)["findings"]) == without_when(report["findings"])
    assert {f["url"]: f["from_cache"] for f in json.loads(again.stdout)["findings"]}[WITHDRAWN_URL]
    assert json.loads(again.stdout)["summary"]["from_cache"] == addresses

    refreshed = policypress(root, "--refresh", "--json", str(tmp_path / "links.json"))
    assert refreshed.returncode == 1
    assert len(govuk.pages_requested()) == fetched and set(govuk.pages_requested().values()) == {1}
    assert without_when(json.loads((tmp_path / "links.json").read_text())["findings"]) == \
        without_when(report["findings"])


WHEN = ("checked_at", "from_cache", "checked", "checked_by_hand")


def without_when(findings: list[dict[str, object]]) -> list[dict[str, object]]:
    """Findings without when and how each address was last checked (which changes from run to run)."""
    return [{key: value for key, value in f.items() if key not in WHEN} for f in findings]


BEHAVIOURS = {
    fake.OK: None,
    fake.CHAIN_START: "moved",
    fake.NOT_FOUND: "broken",
    fake.GONE: "broken",
    fake.WITHDRAWN: "withdrawn",
    "/government/publications/keeping-children-safe-in-education-2024": "superseded",
    fake.FORBIDDEN: "unverified",
    fake.RATE_LIMITED: "unverified",
    fake.BUSY_ONCE: None,
    fake.FLAKY_ONCE: None,
    fake.SLOW: "unverified",
    fake.LOOP_A: "broken",
}
TRANSIENT = [fake.FORBIDDEN, fake.RATE_LIMITED, fake.SLOW]
OLD_KCSIE = """\
    supersedes:
      - edition: "2024"
        url: https://www.gov.uk/government/publications/keeping-children-safe-in-education-2024
    verified: 2026-11-01
"""


def behaviour_tree(make_project: Callable[..., Path], refused: str) -> Path:
    links = [f"- [{path}]({GOVUK}{path})" for path in BEHAVIOURS]
    links += [f"- [refused]({refused})", "- [no such host](https://no-such-host.invalid/guidance)",
              "- [private](http://10.1.2.3/policies)", "- [empty]()"]
    policy = POLICY.replace("All staff are trained every year.", "Reading:\n\n" + "\n".join(links) + "\n\n")
    registry = REGISTRY.replace("    verified: 2026-11-01\n", OLD_KCSIE)
    return make_project({"content/policies/safeguarding.md": policy, "content/statutory.yml": registry})


def test_each_server_behaviour_gives_its_finding_and_transient_ones_are_never_broken(
        make_project: Callable[..., Path], govuk: FakeGovUk) -> None:
    refused = fake.refused_address()
    root = behaviour_tree(make_project, refused)
    write_checks(root, govuk.base, {"www.gov.uk"})
    result = policypress(root, "--json")
    assert result.returncode == 1, result.stderr
    found = {f["url"]: f for f in json.loads(result.stdout)["findings"]}
    expected = {GOVUK + path: kind for path, kind in BEHAVIOURS.items() if kind}
    expected |= {refused: "unverified", "https://no-such-host.invalid/guidance": "broken",
                 "http://10.1.2.3/policies": "not_public", "": "placeholder"}
    assert {url: f["kind"] for url, f in found.items()} == expected
    for path in TRANSIENT:
        assert found[GOVUK + path]["fix"] == "open the link in a browser: if the page is there, nothing needs changing"
    assert found[GOVUK + fake.CHAIN_START]["new_url"] == GOVUK + fake.CHAIN_END
    assert found[GOVUK + fake.CHAIN_START]["fix"] == f"change the link to {GOVUK + fake.CHAIN_END}"
    assert found[GOVUK + fake.RATE_LIMITED]["what"].startswith("429 Too Many Requests after 2 tries")
    assert found[GOVUK + fake.SLOW]["what"] == "no answer within 1 s, 2 tries"
    assert found[refused]["what"] == "the server would not connect, 2 tries"
    assert found[GOVUK + fake.LOOP_A]["what"] == "it redirects in a loop and never reaches a page"
    assert found["https://no-such-host.invalid/guidance"]["what"] == "no website is called no-such-host.invalid"
    assert found[GOVUK + fake.WITHDRAWN]["fails"] and found[GOVUK + fake.NOT_FOUND]["statutory"]

    for path in (fake.RATE_LIMITED, fake.BUSY_ONCE):  # retried once, after the Retry-After it asked for
        first, second = govuk.times[path]
        assert second - first >= fake.RETRY_AFTER_SECONDS
    assert govuk.count(fake.FLAKY_ONCE) == 2 and govuk.count(fake.OK) == 1 and govuk.count(fake.NOT_FOUND) == 1
    assert govuk.count("/policies") == 0


def test_private_and_loopback_targets_are_refused_unless_allowed(
        make_project: Callable[..., Path], govuk: FakeGovUk) -> None:
    root = make_project({"content/policies/safeguarding.md": POLICY.replace(
        "All staff are trained every year.", f"See [the guidance]({GOVUK}{fake.OK}).")})
    write_checks(root, govuk.base, {"www.gov.uk"}, allow_private=[])
    result = policypress(root, "--json")
    found = {f["url"]: f for f in json.loads(result.stdout)["findings"]}
    assert found[GOVUK + fake.OK]["kind"] == "not_public"
    assert found[GOVUK + fake.OK]["what"].startswith("127.0.0.1 is on a private network")
    assert sum(govuk.requests.values()) == 0
    assert result.returncode == 0  # not_public fails only with --strict
    strict = policypress(root, "--strict", "--json")
    assert strict.returncode == 1 and sum(govuk.requests.values()) == 0


def test_the_fetcher_gets_each_address_with_one_request_and_follows_redirects_itself(govuk: FakeGovUk) -> None:
    fetcher = Fetcher(LinkSettings(requests_per_second=50, timeout_seconds=2, allow_private=["127.0.0.1"]))
    ok, missing = fetcher.fetch(govuk.base + fake.OK), fetcher.fetch(govuk.base + fake.NOT_FOUND)
    assert (ok.last.status, ok.last.title, ok.redirects) == (200, f"{fake.OK} - GOV.UK", ())
    assert missing.last.status == 404
    moved = fetcher.fetch(govuk.base + fake.CHAIN_START)
    assert moved.redirects == ((govuk.base + fake.CHAIN_MIDDLE, 301), (govuk.base + fake.CHAIN_END, 301))
    assert moved.last.status == 200 and fetcher.requests["page"] == 5


def test_content_api_bodies_are_read_only_up_to_the_cap(govuk: FakeGovUk) -> None:
    small = LinkSettings(max_body_bytes=4096, allow_private=["127.0.0.1"])
    assert content_api_notice(f"{govuk.base}{fake.CONTENT_API}{fake.WITHDRAWN}", small) == {
        "explanation": fake.WITHDRAWN_HTML, "withdrawn_at": "2024-03-07T09:30:00Z"}  # as GOV.UK sends it
    assert content_api_notice(f"{govuk.base}{fake.CONTENT_API}{fake.HUGE}", small) is None
    assert content_api_notice(f"{govuk.base}{fake.CONTENT_API}{fake.OK}", small) is None


def test_links_are_found_in_every_markdown_form_but_not_in_code() -> None:
    text = ("[a](https://a.example.org/x) ![img](https://b.example.org/i.png) <https://c.example.org>\n"
            '<a href="https://d.example.org">d</a> [e](#) [f]() [g](javascript:void(0)) [h](../contacts.md)\n'
            "[i](#local) [j](mailto:office@example.org) `[k](https://code.example.org)`\n"
            "[ref]: https://e.example.org/r\n")
    assert link_targets(text) == ["https://a.example.org/x", "https://b.example.org/i.png", "https://c.example.org",
                                  "https://d.example.org", "#", "", "javascript:void(0)", "https://e.example.org/r"]


def test_links_of_every_school_keep_the_line_of_their_ref_call() -> None:
    links = gather_links(load_project(REPO))
    kcsie = "https://www.gov.uk/government/publications/keeping-children-safe-in-education--2"
    where = {(link.place.school, link.place.path, link.place.line) for link in links
             if link.url == kcsie and link.place.policy == "child-protection"}
    policy_lines = (REPO / "content/policies/child-protection.md").read_text(encoding="utf-8").splitlines()
    for _school, path, line in where:
        assert path == "content/policies/child-protection.md"
        assert 'ref("kcsie")' in policy_lines[line - 1]
    assert {school for school, _, _ in where} == set(load_project(REPO).schools)


def test_mapping_works_both_ways_and_retry_after_is_read_as_seconds_or_a_date() -> None:
    mapping = {"https://www.gov.uk/": "http://127.0.0.1:9/", "https://www.gov.uk/api/": "http://127.0.0.1:9/x/"}
    assert to_checked("https://www.gov.uk/guidance/a", mapping) == "http://127.0.0.1:9/guidance/a"
    assert to_checked("https://www.gov.uk/api/content/a", mapping) == "http://127.0.0.1:9/x/content/a"
    assert to_upstream("http://127.0.0.1:9/x/content/a", mapping) == "https://www.gov.uk/api/content/a"
    assert to_checked("https://www.gov.uk", mapping) == "http://127.0.0.1:9/"
    assert retry_after_seconds("30") == 30.0
    now = time.time()
    date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now + 90))
    found = retry_after_seconds(date, now)
    assert found is not None and 89 <= found <= 91
    assert retry_after_seconds("None") is None


def test_bad_settings_are_reported_with_their_line(make_project: Callable[..., Path]) -> None:
    root = make_project()
    (root / "checks.yml").write_text("links:\n  ttl_days: 7\n  retrys: 3\n  map:\n    https://www.gov.uk: http://x/\n",
                                     encoding="utf-8")
    result = policypress(root)
    assert result.returncode == 2
    assert "checks.yml:3: unknown key 'retrys' — did you mean 'retries'?" in result.stderr
    assert ("checks.yml:4: links.map: 'https://www.gov.uk' is not a base address — write it whole, starting "
            "http:// or https:// and ending with /, e.g. https://www.gov.uk/") in result.stderr
    (root / "checks.yml").unlink()
    unknown = policypress(root, "--school", "gamma")
    assert unknown.returncode == 2 and "error: no school called gamma — use one of: alpha" in unknown.stderr
    bad_map = policypress(root, "--map", "https://www.gov.uk")
    assert bad_map.returncode == 2 and "FROM=TO" in bad_map.stderr


def test_an_offline_computer_reports_nothing_broken(make_project: Callable[..., Path], tmp_path: Path) -> None:
    from policypress.checks.links.verdicts import LinkCache, check_urls

    urls = ["https://no-such-host.invalid/a", "https://also-missing.invalid/b"]
    cache = LinkCache(tmp_path / "links.json", 7, dt.datetime(2026, 11, 22, tzinfo=dt.UTC))
    verdicts, stats = check_urls(urls, LinkSettings(), cache)
    assert {v.outcome for v in verdicts.values()} == {"unverified"} and stats.fetched == 0
    one, _ = check_urls(urls[:1], LinkSettings(), cache)
    assert one[urls[0]].outcome == "broken"  # one unknown name alone is just a wrong address
