"""Settings of `policypress check links`: the `links:` section of checks.yml, then command-line options.

Every setting has a safe default, so the file is optional. Addresses can be mapped (e.g.
https://www.gov.uk/ to a local test server), which is how the check is tested with no internet.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, ValidationError, field_validator, model_validator

from policypress.core.errors import SourceErrors, UsageError
from policypress.source.reader import read_source
from policypress.source.schema_types import Strict, Url
from policypress.source.validation import validate
from policypress.source.yaml_lines import YamlProblem, load_yaml

CHECKS_FILE = "checks.yml"
Kind = Literal["broken", "certificate", "withdrawn", "superseded", "not_public", "moved", "placeholder",
               "unverified"]
KINDS: tuple[Kind, ...] = ("broken", "certificate", "withdrawn", "superseded", "not_public", "moved", "placeholder",
                           "unverified")
# Parents, governors and inspectors cannot open these, whatever the rest of the address says.
NOT_PUBLIC_HOSTS = ["*.sharepoint.com", "*.sharepoint.us", "onedrive.live.com", "1drv.ms", "*.1drv.ms",
                    "teams.microsoft.com", "localhost", "*.local", "*.localdomain", "*.internal", "*.lan",
                    "*.intranet", "*.corp", "*.home.arpa", "intranet.*"]
STATUTORY_HOSTS = ["www.gov.uk", "gov.uk", "assets.publishing.service.gov.uk", "www.legislation.gov.uk",
                   "legislation.gov.uk"]
PositiveSeconds = Annotated[float, Field(gt=0, le=3600)]
HOST_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
LISTS = ("exclude", "accept", "checked_by_hand")


class ListEntry(Strict):
    """An entry of exclude: or accept:, naming a website (host) or one address (url), and why."""

    host: str | None = None
    """A website's name, e.g. intranet.example.org; it covers its subdomains too (staff.intranet.example.org)."""
    url: Url | None = None
    """One whole address, e.g. https://www.example.org/staff/; its #part, a final / and capitals in the name are
    ignored."""
    reason: str | None = None
    """Why, in words; the report shows it."""
    _line: int = PrivateAttr(0)
    _file: str = PrivateAttr(CHECKS_FILE)

    @field_validator("host")
    @classmethod
    def _host(cls, value: str | None) -> str | None:
        if value is None:
            return None
        host = value.strip().lower().rstrip(".")
        if "/" in host or ":" in host or not HOST_NAME.match(host):
            raise ValueError(f"'{value}' is not a website's name — write the name alone, e.g. intranet.example.org "
                             "(no https:// and no /), or use url: for one address")
        return host

    @model_validator(mode="after")
    def _one_of(self) -> ListEntry:
        if (self.host is None) == (self.url is None):
            raise ValueError("write either host: (a whole website) or url: (one address) — one of them, not "
                             f"{'both' if self.host else 'neither'}")
        return self

    @property
    def where(self) -> str:
        """checks.yml:LINE of the entry."""
        return f"{self._file}:{self._line}" if self._line else self._file

    @property
    def label(self) -> str:
        """What it names: the host or the address."""
        return self.host or self.url or ""


class AcceptEntry(ListEntry):
    """An entry of accept: findings on this website or address that are known and accepted."""

    kinds: list[Kind] = []
    """Only these findings are accepted, e.g. [unverified]; none listed: every kind (a host: entry never accepts
    a finding on a statutory link; name that address with url: to accept it)."""


class HandCheck(Strict):
    """An entry of checked_by_hand: a person opened this address on this day and it works."""

    url: Url
    """The address that was checked, written as in the policy."""
    date: dt.date
    """The day it was checked, YYYY-MM-DD; it counts for hand_check_days, then the address is fetched again."""
    by: str | None = None
    """Who checked it, e.g. 'School office'."""
    reason: str | None = None
    """Why a person checks it (e.g. the website blocks automated checks); the report shows it."""
    _line: int = PrivateAttr(0)
    _file: str = PrivateAttr(CHECKS_FILE)

    @field_validator("date")
    @classmethod
    def _not_future(cls, value: dt.date) -> dt.date:
        if value > dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1):  # a day's grace for time zones
            raise ValueError(f"{value.isoformat()} is in the future — write the day the address was checked, "
                             "YYYY-MM-DD")
        return value

    @property
    def where(self) -> str:
        """checks.yml:LINE of the entry."""
        return f"{self._file}:{self._line}" if self._line else self._file

    @property
    def label(self) -> str:
        """The address."""
        return self.url


class LinkSettings(Strict):
    """How `policypress check links` checks addresses and which findings fail the check."""

    map: dict[str, str] = {}
    """Check addresses starting with the key at the value instead, e.g. 'https://www.gov.uk/': 'http://127.0.0.1:8001/'."""
    content_api: Url = "https://www.gov.uk/api/content"
    """GOV.UK content API base; a page's record (with withdrawn_notice) is at BASE/<path>."""
    govuk_hosts: list[str] = ["www.gov.uk", "gov.uk"]
    """Hosts whose pages the content API describes."""
    allow_private: list[str] = []
    """Private, loopback or link-local hosts or networks that may be checked anyway, e.g. 127.0.0.1 or 10.0.0.0/8."""
    not_public_hosts: list[str] = NOT_PUBLIC_HOSTS
    """Host patterns parents cannot open (SharePoint, OneDrive, intranet names); * matches any part."""
    statutory_hosts: list[str] = STATUTORY_HOSTS
    """Hosts whose links in a statutory policy count as statutory links."""
    ttl_days: int = Field(7, ge=0, le=365)
    """How long a result is reused before the address is checked again (0: never reuse)."""
    timeout_seconds: PositiveSeconds = 20.0
    """How long to wait for a website to connect, and then for each part of its answer."""
    deadline_seconds: PositiveSeconds = 60.0
    """The longest one try of one address may take, every redirect, the TLS handshake and the body included."""
    max_redirects: int = Field(10, ge=0, le=30)
    """Redirects followed from one address, each checked against the private rule first."""
    retries: int = Field(2, ge=0, le=10)
    """How often to try again after 429, 5xx, a timeout or a refused connection."""
    backoff_seconds: float = Field(2.0, ge=0, le=600)
    """Wait before the first retry; doubled for each further one (Retry-After wins when longer)."""
    max_wait_seconds: PositiveSeconds = 120.0
    """The longest wait honoured; a site asking for longer is reported unverified."""
    requests_per_second: float = Field(1.0, gt=0, le=100)
    """Requests per second to any one host."""
    threads: int = Field(4, ge=1, le=32)
    """Addresses checked at the same time (on different hosts where possible)."""
    max_body_bytes: int = Field(1_000_000, ge=1024)
    """Most bytes read from any one response; a longer page is read only this far."""
    user_agent: str = "Mozilla/5.0 (compatible; policypress link check)"
    """How the check introduces itself to websites."""
    fail_statutory: list[Kind] = ["broken", "withdrawn", "superseded"]
    """Findings on a statutory link that fail the check (exit 1)."""
    fail_any: list[Kind] = []
    """Findings on any link that fail the check (exit 1); --strict sets every kind but unverified."""
    exclude: list[ListEntry] = []
    """Websites (host:) or addresses (url:) never fetched and never reported, e.g. the staff intranet."""
    accept: list[AcceptEntry] = []
    """Websites (host:) or addresses (url:) whose findings are known and accepted: listed with the reason, never
    failing the check."""
    checked_by_hand: list[HandCheck] = []
    """Addresses a person opened and found working (url:, date:, by:, reason:): not fetched until the hand check
    is older than hand_check_days."""
    hand_check_days: int = Field(90, ge=1, le=3650)
    """How many days a hand check counts; after that the address is fetched again and the report says so."""

    @field_validator("map")
    @classmethod
    def _bases(cls, value: dict[str, str]) -> dict[str, str]:
        for base in [*value, *value.values()]:
            if not (base.startswith(("http://", "https://")) and base.endswith("/")):
                raise ValueError(f"'{base}' is not a base address — write it whole, starting http:// or "
                                 "https:// and ending with /, e.g. https://www.gov.uk/")
        return value


class ChecksFile(Strict):
    """checks.yml: settings of the checks."""

    links: LinkSettings = LinkSettings()
    """Settings of policypress check links."""


def load_settings(root: Path, path: Path | None = None) -> LinkSettings:
    """The links settings from checks.yml (or path); defaults when there is no such file."""
    path = path or root / CHECKS_FILE
    if not path.is_file():
        return LinkSettings()
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    try:
        data, lines = load_yaml(read_source(root if path.is_relative_to(root) else None, path, rel), rel)
    except YamlProblem as exc:
        raise SourceErrors([exc.problem]) from None
    model, problems = validate(ChecksFile, data or {}, lines, rel)
    if model is None:
        raise SourceErrors(problems)
    for name in LISTS:
        for index, entry in enumerate(getattr(model.links, name)):
            entry._line, entry._file = lines.get(("links", name, index), 0), rel
    return model.links


def to_checked(url: str, mapping: dict[str, str]) -> str:
    """Where url is checked: the longest mapped base it starts with is replaced."""
    if url.count("/") == 2:  # https://host is https://host/
        url += "/"
    for base in sorted(mapping, key=len, reverse=True):
        if url.startswith(base):
            return mapping[base] + url[len(base):]
    return url


def to_upstream(url: str, mapping: dict[str, str], written: str = "") -> str:
    """The address a checked url stands for (the reverse of to_checked).

    When several bases are mapped to the same place (www.gov.uk and gov.uk onto one mirror), the
    base of `written`, the address as written in the policy, wins; otherwise the shortest base,
    then the first in alphabetical order: the same answer every run.
    """
    matches = [(base, target) for base, target in mapping.items() if url.startswith(target)]
    if not matches:
        return url
    longest = max(len(target) for _, target in matches)
    bases = sorted((base for base, target in matches if len(target) == longest), key=lambda b: (len(b), b))
    mine = [base for base in bases if written.startswith(base)] if written else []
    base = (mine or bases)[0]
    return base + url[len(mapping[base]):]


def with_options(settings: LinkSettings, strict: bool = False, **options: object) -> LinkSettings:
    """settings with the command line's options on top (None: not given); checked like the file."""
    update: dict[str, object] = {name: value for name, value in options.items() if value not in (None, (), {})}
    if "map" in update:
        update["map"] = {**settings.map, **dict(update["map"])}  # type: ignore[call-overload]
    if "allow_private" in update:
        update["allow_private"] = [*settings.allow_private, *update["allow_private"]]  # type: ignore[misc]
    if strict:
        update["fail_any"] = [kind for kind in KINDS if kind != "unverified"]
    try:
        checked = LinkSettings.model_validate({**settings.model_dump(), **update})
        return checked.model_copy(update={name: getattr(settings, name) for name in LISTS})  # with their lines
    except ValidationError as exc:
        first = exc.errors()[0]
        raise UsageError(f"--{str(first['loc'][0]).replace('_', '-')}: {first['msg'].removeprefix('Value error, ')}") \
            from None
