"""`policypress approve`: record a governors' decision."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from policypress.commands.options import iso_date, root_option


@click.command("approve")
@click.option("--school", "school_id", required=True, metavar="ID", help="The school whose policy was approved.")
@click.option("--policy", "policy_id", required=True, metavar="ID", help="The policy approved.")
@click.option("--by", required=True, metavar="BODY",
              help="The body that approved it: one the policy's approver, or the trust's scheme of delegation "
                   "(governance: in trust.yml), allows.")
@click.option("--date", "day", required=True, metavar="YYYY-MM-DD",
              callback=iso_date,
              help="The date of the meeting or decision; not in the future.")
@click.option("--version", "version", metavar="V", help="Version of the approved text [default: the next major one].")
@click.option("--minute", metavar="REF", help="Minute reference of the decision, e.g. 'FGB 2026-09 item 4'.")
@click.option("--signed-by", "signed_by", multiple=True, metavar="NAME",
              help="Who signed the approved policy, by name or role; repeat for each signer.")
@root_option
@click.pass_obj
def approve_command(root: Path, school_id: str, policy_id: str, by: str, day: dt.date,
                    version: str | None, minute: str | None, signed_by: tuple[str, ...]) -> None:
    """Record an approval, with the text as approved, in approvals/SCHOOL/POLICY/."""
    from policypress.compose.wording import date_words
    from policypress.core.dates import build_today
    from policypress.governors.approve import ApprovalRequest, approve

    done = approve(ApprovalRequest(root, school_id, policy_id, by, day, version, minute, signed_by), build_today())
    record = done.approval
    minuted = f" (minute {record.minute})" if record.minute else ""
    click.echo(f"Recorded version {record.version} of the \"{done.title}\" for {done.school}: approved by "
               f"{done.by} on {date_words(record.date)}{minuted}.")
    click.echo(f"The text as approved is in {done.path}.")
    click.echo(f"Next review by {date_words(done.next_review)}. Run policypress build to publish it.")
