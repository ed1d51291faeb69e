"""The building blocks of the source schema: ids, roles, text, addresses on the web, review cycles.

Every model forbids unknown keys (Strict), so a typo is an error that names its line, and every
field carries a docstring, which `policypress new-school` and the README reference are built from.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints

from policypress.core.dates import month_only

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Role = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$")]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]


def _digits_as_text(value: object) -> object:
    """YAML reads 100234 as a number; a URN is an identifier, so keep it as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Urn = Annotated[str, BeforeValidator(_digits_as_text), StringConstraints(pattern=r"^\d{6}$")]

Approver = Literal[
    "full_governing_body",
    "governing_body_committee",
    "local_governing_committee",
    "individual_governor",
    "headteacher",
    "trust_board",
    "proprietor",
    "local_authority",
    "employer",
]
"""The bodies that may approve a policy when a trust declares no scheme of delegation (`governance:`)."""
ApprovalDate = Annotated[dt.date, BeforeValidator(month_only)]
"""YYYY-MM-DD; a historical approval known only to its month may give YYYY-MM (a core.dates.MonthOnly)."""
Audience = Literal["public", "staff", "governors"]
Phase = Literal[
    "nursery", "infant", "first", "primary", "junior", "middle", "secondary",
    "all-through", "special", "alternative-provision",
]

REVIEW_CYCLE_MONTHS = {
    "annually": 12,
    "recommended_annually": 12,
    "every_2_years": 24,
    "every_3_years": 36,
    "every_4_years": 48,
}
_MONTHS = re.compile(r"^(?:(1) month|([2-9]|[1-9]\d) months)$")  # "1 month", "2 months" … "99 months"


def review_cycle_months(cycle: str) -> int:
    """Months between reviews for a validated review cycle."""
    if cycle in REVIEW_CYCLE_MONTHS:
        return REVIEW_CYCLE_MONTHS[cycle]
    match = _MONTHS.match(cycle)
    if match is None:
        raise ValueError(f"'{cycle}' is not a review cycle")  # validated before it gets here
    return int(match.group(1) or match.group(2))


def _check_cycle(value: object) -> object:
    if isinstance(value, str) and (value in REVIEW_CYCLE_MONTHS or _MONTHS.match(value)):
        return value
    kinds = ", ".join(REVIEW_CYCLE_MONTHS)
    raise ValueError(f"'{value}' is not a review cycle — use one of {kinds}, or 'N months'")


ReviewCycle = Annotated[str, BeforeValidator(_check_cycle)]


class Strict(BaseModel):
    """Base: unknown keys are errors; docstrings under fields become their descriptions."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

