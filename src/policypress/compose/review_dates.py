"""A rendered policy's review date in words for parents and governors, honest once it has passed.

Used by the site, the PDFs and the reviews check alike; whether a review is overdue depends on
an explicit "today", never the clock.
"""

from __future__ import annotations

import datetime as dt

from policypress.compose import wording as words
from policypress.compose.render import RenderedPolicy


def is_overdue(policy: RenderedPolicy, today: dt.date) -> bool:
    """Whether the policy's review date has passed (on the day itself it is due, not overdue)."""
    return policy.next_review is not None and policy.next_review < today


def overdue_words(policy: RenderedPolicy) -> str:
    """For parents, after the approval: 'its review was due by 15 September 2026 and has not happened yet, …'."""
    return (f"its review was due by {words.date_words(policy.next_review)} and has not happened yet, "
            "so some details may be out of date")


def next_review_words(policy: RenderedPolicy, today: dt.date) -> str:
    """The next review date for the document-control table, marked when it has passed."""
    due = words.date_words(policy.next_review)
    return f"{due} (overdue: not reviewed yet)" if is_overdue(policy, today) else due
