"""Checks of the source and of what it publishes: `check content`, `check links`, `check reviews`,
and the internal links every build checks. Each reports Findings (findings.py) through one
report path (report.py: terminal, JSON, HTML; commands/check_common.py: options, exit code).

How to add a check:
1. Write checks/<name>.py with `run(root, **options) -> CheckResult` (findings, summary, JSON document, fails).
2. Add one line to commands/cli.py: `check.add_command(check_command("<name>", "policypress.checks.<name>",
   today_option(…), json_option(…), help="…"))`; options come from commands/check_common.py or click.

May import: policypress.core, site_engine, source, compose, outputs. Never governors, publish or commands.
"""
