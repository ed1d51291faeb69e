"""`policypress check publishing`: what each school must or should publish online, and whether it does."""

from __future__ import annotations

import click

from policypress.commands.check_common import check_command, json_option, schools_option, strict_option, today_option
from policypress.commands.check_links import network_options

check_publishing_command = check_command(
    "publishing", "policypress.checks.publishing",
    schools_option("Check only this school (repeatable)."),
    today_option("The day update intervals are counted to [default: SOURCE_DATE_EPOCH's date, else today]."),
    json_option("Also write every school's requirements and the findings as JSON to FILE; --json alone prints "
                "them.", stdout=True),
    strict_option("Fail on a \"should\" and on requirements the reference is unsure of, not only on a \"must\"."),
    click.option("--offline", is_flag=True, help="Do not fetch the documents schools publish elsewhere."),
    click.option("--refresh", is_flag=True, help="Ignore cached results and fetch every document again."),
    *network_options(),
    help="For every school, by its kind: what it must or should publish online — missing, out of date, draft "
         "only, or published elsewhere but unreachable. Exit 1: a \"must\" is not met; 2: bad input.")
