"""`check links` under every network fault, against tests/fault_server.py on 127.0.0.1: no internet.

Each fault asserts its verdict, that nothing is called broken that should not be, and what the
cache keeps (only what says something about the website: never a fault of this side). Name
lookups are replaced in-process where the fault is DNS's (no such name, no name server).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import fault_server as faults
from conftest import POLICY
from fault_server import FaultServer
from policypress.checks.links.fetch import Fetcher, HostPace
from policypress.checks.links.settings import LinkSettings
from policypress.checks.links.verdicts import Checked, CheckStats, LinkCache, check_urls
from policypress.commands.cli import cli

NOW = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
QUICK: dict[str, Any] = {"allow_private": ["127.0.0.1"], "timeout_seconds": 0.5, "deadline_seconds": 2,
                         "retries": 1, "backoff_seconds": 0.05, "requests_per_second": 100, "max_wait_seconds": 5}
NOT_GONE_FIX = "open the link in a browser: if the page is there, nothing needs changing"


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as found:
        yield found


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return faults.self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def tls(cert: tuple[Path, Path]) -> Iterator[FaultServer]:
    with FaultServer(cert=cert) as found:
        yield found


@pytest.fixture(scope="module")
def canary() -> Iterator[FaultServer]:
    """A server on 127.0.0.2, which no setting allows: no request may ever reach it."""
    with FaultServer(host="127.0.0.2") as found:
        yield found


def check(urls: list[str], folder: Path, resolve: Callable[..., Any] | None = None,
          **settings: Any) -> tuple[dict[str, Checked], CheckStats, dict[str, Any]]:
    """Verdicts, the run's stats and what the cache file kept, for a run on these addresses."""
    chosen = LinkSettings(**{**QUICK, **settings})
    cache = LinkCache(folder / "links.json", 7, NOW)
    fetcher = Fetcher(chosen, resolve=resolve) if resolve else None
    verdicts, stats = check_urls(urls, chosen, cache, fetcher=fetcher)
    kept = json.loads((folder / "links.json").read_text(encoding="utf-8"))["entries"]
    return verdicts, stats, kept


def resolver(names: dict[str, str], failing: int = socket.EAI_NONAME) -> Callable[..., Any]:
    """getaddrinfo for these names only; any other name fails with `failing`."""
    def resolve(host: str, port: int, **_kwargs: object) -> list[tuple[object, ...]]:
        if host not in names:
            raise socket.gaierror(failing, "lookup failed")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (names[host], port))]
    return resolve


# path on the fault server: (outcome, words in the verdict, kept in the cache)
FAULTS = {
    "/ok": ("ok", "200 OK", True),
    "/reset-before": ("unverified", "the server closed the connection without answering, 2 tries", False),
    "/reset-during": ("unverified", "the connection was cut while the page was being sent, 2 tries", False),
    "/close-during": ("unverified", "the connection was cut while the page was being sent, 2 tries", False),
    "/silent": ("unverified", "no answer within 0.5 s, 2 tries", False),
    "/429-seconds": ("unverified", "429 Too Many Requests after 2 tries", False),
    "/429-date": ("ok", "200 OK", True),
    "/429-long": ("unverified", "the site asked to wait 86400 s before another try, longer than the 5 s", False),
    "/403": ("unverified", "403 Forbidden after 1 try", False),
    "/500": ("unverified", "500 Internal Server Error after 2 tries", False),
    "/503": ("unverified", "503 Service Unavailable after 2 tries", False),
    "/404": ("broken", "404 Not Found", True),
    "/loop-a": ("broken", "it redirects in a loop and never reaches a page", True),
    "/trickle": ("unverified", "the website did not finish sending the page within 2 s", False),
    "/trickle-headers": ("unverified", "the website did not finish sending the page within 2 s", False),
    "/huge": ("ok", "200 OK", True),  # read only as far as max_body_bytes: the document is there
    "/page/café guidance": ("ok", "200 OK", True),  # written with letters a request line must escape
}


@pytest.mark.parametrize("path", list(FAULTS))
def test_each_fault_of_a_website_has_its_verdict_and_only_answers_about_the_site_are_cached(
        path: str, server: FaultServer, tmp_path: Path) -> None:
    outcome, words, kept = FAULTS[path]
    url = server.url(path)
    verdicts, stats, cache = check([url], tmp_path)
    found = verdicts[url]
    assert found.outcome == outcome, found
    assert words in found.status + found.note
    assert (url in cache) is kept
    assert not stats.network  # one website: nothing said about this computer


def test_retry_after_is_honoured_as_seconds_or_a_date_and_a_very_long_one_is_not_waited_for(
        server: FaultServer, tmp_path: Path) -> None:
    check([server.url("/429-seconds"), server.url("/429-date"), server.url("/429-long")], tmp_path)
    first, second = server.times["/429-seconds"][-2:]
    assert second - first >= 0.95
    first, second = server.times["/429-date"][-2:]
    assert second - first >= faults.RETRY_DATE_SECONDS - 1.05  # an HTTP date has whole seconds
    assert server.hits["/429-long"] >= 1 and len(server.times["/429-long"]) == server.hits["/429-long"]
    before = server.hits["/429-long"]
    started = time.monotonic()
    check([server.url("/429-long")], tmp_path / "again")
    assert server.hits["/429-long"] == before + 1 and time.monotonic() - started < 2  # asked once, not waited


def test_tls_to_a_plain_port_is_unverified_and_a_self_signed_certificate_is_its_own_kind(
        server: FaultServer, tls: FaultServer, tmp_path: Path) -> None:
    plain = server.url("/ok").replace("http://", "https://")
    bad = tls.url("/ok")
    verdicts, stats, cache = check([plain, bad, server.url("/ok")], tmp_path)
    assert verdicts[plain].outcome == "unverified"
    assert verdicts[plain].status.startswith("a secure (https) connection could not be set up")
    assert verdicts[bad].outcome == "certificate"
    assert "self-signed certificate" in verdicts[bad].status
    assert set(cache) == {server.url("/ok")} and not stats.network


def test_most_websites_failing_tls_the_same_way_is_a_proxy_here_said_once(
        cert: tuple[Path, Path], tls: FaultServer, server: FaultServer, tmp_path: Path) -> None:
    with FaultServer(cert=cert) as other:
        urls = [tls.url("/ok"), other.url("/ok"), server.url("/ok")]
        verdicts, stats, cache = check(urls, tmp_path)
    assert "behind a proxy that inspects secure (https) connections" in stats.network
    assert "2 of 3 websites" in stats.network
    assert [verdicts[u].outcome for u in urls] == ["unverified", "unverified", "ok"]
    assert set(cache) == {server.url("/ok")} and not stats.could_not_run


def test_refused_connections_are_unverified_and_not_cached(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{faults.closed_port()}/guidance"
    verdicts, _, cache = check([url], tmp_path)
    assert (verdicts[url].outcome, verdicts[url].status) == ("unverified", "the server would not connect, 2 tries")
    assert cache == {}


def test_a_redirect_to_a_private_address_is_never_followed_nor_suggested(
        server: FaultServer, canary: FaultServer, tmp_path: Path) -> None:
    server.redirect_to = canary.url("/canary")
    url = server.url("/to-elsewhere")
    verdicts, _, cache = check([url], tmp_path)
    assert verdicts[url].outcome == "not_public" and verdicts[url].new_url == ""
    assert verdicts[url].status.startswith(f"it redirects to {canary.url('/canary')}, on a private network")
    assert canary.connections == 0 and canary.hits == {}  # the canary on 127.0.0.2 was never reached
    assert cache == {}
    server.redirect_to = "http://10.1.2.3/intranet"
    verdicts, _, _ = check([url], tmp_path / "ten")
    assert verdicts[url].outcome == "not_public" and "10.1.2.3" in verdicts[url].status


def test_a_name_that_does_not_exist_is_broken_and_cached_while_others_resolve(
        server: FaultServer, tmp_path: Path) -> None:
    port = server.base.rsplit(":", 1)[1]
    alive = f"http://guidance.example:{port}/ok"
    gone = "https://gone.example/page"
    verdicts, stats, cache = check([alive, gone], tmp_path, resolve=resolver({"guidance.example": "127.0.0.1"}))
    assert verdicts[gone] == Checked("broken", "no website is called gone.example")
    assert verdicts[alive].outcome == "ok" and set(cache) == {alive, gone} and not stats.network


def test_no_network_every_name_lookup_failing_is_unverified_said_once_never_cached(tmp_path: Path) -> None:
    urls = ["https://www.gov.uk/a", "https://www.legislation.gov.uk/b", "https://trust.example.org/c"]
    offline = resolver({}, failing=socket.EAI_AGAIN)
    for run in ("first", "second"):  # the same verdict however often it runs: nothing was cached
        verdicts, stats, cache = check(urls, tmp_path, resolve=offline)
        assert {v.outcome for v in verdicts.values()} == {"unverified"}, run
        assert "this computer seems to be offline" in stats.network and stats.could_not_run
        assert cache == {} and stats.fetched == 0
    assert verdicts[urls[0]].status == "the name www.gov.uk could not be looked up: the name server did not answer"
    one, stats, cache = check(urls[:1], tmp_path / "one", resolve=offline)
    assert one[urls[0]].outcome == "unverified" and cache == {}  # a name server that does not answer: never broken


def test_a_slow_server_does_not_hold_up_the_run_which_completes_with_its_cache(
        server: FaultServer, tmp_path: Path) -> None:
    urls = [server.url(p) for p in ("/trickle", "/huge", "/silent", "/ok", "/reset-during", "/404")]
    started = time.monotonic()
    verdicts, _, cache = check(urls, tmp_path, threads=4)
    assert time.monotonic() - started < 8
    assert [verdicts[u].outcome for u in urls] == ["unverified", "ok", "unverified", "ok", "unverified", "broken"]
    assert set(cache) == {server.url("/huge"), server.url("/ok"), server.url("/404")}


def test_each_address_is_fetched_once_and_mapped_back_to_the_host_it_was_written_with(
        server: FaultServer, tmp_path: Path) -> None:
    mirror = server.base + "/"
    mapping = {"https://gov.uk/": mirror, "https://www.gov.uk/": mirror}
    urls = ["https://gov.uk/moved/a", "https://www.gov.uk/moved/b", "https://www.gov.uk/page/b",
            "https://www.gov.uk/page/c", "https://gov.uk/page/c"]
    verdicts, _, _ = check(urls, tmp_path, map=mapping, govuk_hosts=[])
    assert verdicts[urls[0]].new_url == "https://gov.uk/page/a"
    assert verdicts[urls[1]].new_url == "https://www.gov.uk/page/b"
    assert verdicts[urls[2]].outcome == verdicts[urls[3]].outcome == verdicts[urls[4]].outcome == "ok"
    assert {p: server.hits[p] for p in ("/moved/a", "/moved/b", "/page/a", "/page/b", "/page/c")} == {
        "/moved/a": 1, "/moved/b": 1, "/page/a": 1, "/page/b": 1, "/page/c": 1}


def test_the_pace_to_one_host_is_requests_per_second_measured(server: FaultServer, tmp_path: Path) -> None:
    urls = [server.url(f"/page/pace-{n}") for n in range(8)]
    check(urls, tmp_path, requests_per_second=5, threads=4)
    starts = sorted(server.times[f"/page/pace-{n}"][0] for n in range(8))
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.17  # 1 / 5 s, less the server's own scheduling
    assert 4.0 <= (len(starts) - 1) / (starts[-1] - starts[0]) <= 5.3


def test_the_pace_books_turns_so_threads_never_crowd_one_host() -> None:
    clock = [0.0]
    slept: list[float] = []
    pace = HostPace(2, clock=lambda: clock[0], sleep=slept.append)
    for _ in range(3):
        pace.wait("a.example")
    pace.wait("b.example")
    assert slept == [0.5, 1.0]  # the second and third turns of a.example; b.example waits for no one


def _project(make_project: Callable[..., Path], links: list[str]) -> Path:
    text = "Reading:\n\n" + "\n".join(f"- [link {n}]({url})" for n, url in enumerate(links)) + "\n\n"
    return make_project({"content/policies/safeguarding.md": POLICY.replace("All staff are trained every year.",
                                                                               text)})


def test_content_api_failures_are_reported_and_the_run_completes(
        make_project: Callable[..., Path], server: FaultServer) -> None:
    root = _project(make_project, ["https://www.gov.uk/ok", "https://www.gov.uk/trickle"])
    settings = {**QUICK, "map": {"https://www.gov.uk/": server.base + "/"}}
    (root / "checks.yml").write_text(json.dumps({"links": settings}), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(root), "check", "links", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout[result.stdout.index("{"):])
    found = {f["url"]: f for f in document["findings"]}
    assert found["https://www.gov.uk/ok"]["kind"] == "unverified"
    assert found["https://www.gov.uk/ok"]["what"].startswith(
        "the page loads, but GOV.UK's content API could not say whether it has been withdrawn (503 Service")
    assert found["https://www.gov.uk/trickle"]["fix"] == NOT_GONE_FIX
    assert document["summary"]["content_api_problems"]
    assert "GOV.UK's content API gave no answer for 2 page(s)" in result.output
    html = (root / "build" / "reports" / "links.html").read_text(encoding="utf-8")
    assert "GOV.UK&#39;s content API gave no answer for 2 page(s)" in html
    assert json.loads((root / "build" / ".cache" / "links.json").read_text())["entries"] == {}


def test_an_offline_computer_exits_3_the_check_could_not_run(
        make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(make_project, ["https://www.gov.uk/a", "https://trust.example.org/b"])

    def offline(*_args: object, **_kwargs: object) -> list[tuple[object, ...]]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    (root / "checks.yml").write_text(json.dumps({"links": QUICK}), encoding="utf-8")
    monkeypatch.setattr(socket, "getaddrinfo", offline)
    result = CliRunner().invoke(cli, ["--root", str(root), "check", "links"])
    assert result.exit_code == 3, result.output
    assert "error: the check could not run: this computer seems to be offline" in result.output
    assert json.loads((root / "build" / ".cache" / "links.json").read_text())["entries"] == {}


def test_a_crash_of_the_engine_exits_3_never_1(make_project: Callable[..., Path],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(make_project, ["https://www.gov.uk/a"])

    def crash(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("engine bug")

    monkeypatch.setattr(Fetcher, "fetch", crash)
    result = CliRunner().invoke(cli, ["--root", str(root), "check", "links"])
    assert result.exit_code == 3, result.output
    # The first address it tried (the contacts page's links are checked too): a crash, never findings.
    assert re.search(r"the link check's engine failed on https://\S+: RuntimeError: engine bug", result.output)
