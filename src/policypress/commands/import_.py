"""`policypress import`: Word files into the single source."""

from __future__ import annotations

from pathlib import Path

import click

from policypress.commands.options import root_option


def _schools(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--trust", required=True, metavar="ID",
              help="The trust whose policy this is (its facts become placeholders).")
@click.option("--school", metavar="ID", help="The school whose copy this is: its facts, approvals and pictures.")
@click.option("--id", "policy_id", metavar="POLICY", help="The policy's id [default: from the file name].")
@click.option("--model", "model_id", metavar="ID",
              help="Several schools' copies of one policy: write the text they share as the model ID, and each "
                   "school's differences as its overlay.")
@click.option("--schools", callback=_schools, metavar="A,B,…", help="With --model: the school of each file, in order.")
@click.option("--force", is_flag=True, help="Replace files and entries that are there already.")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.option("--json", "json_file", metavar="FILE", is_flag=False, flag_value="-", default=None,
              help="Also write the report as JSON to FILE; --json alone prints it.")
@root_option
@click.pass_obj
def import_command(root: Path, files: tuple[Path, ...], trust: str, school: str | None, policy_id: str | None,
                   model_id: str | None, schools: tuple[str, ...], force: bool, dry_run: bool,
                   json_file: str | None) -> None:
    """Turn Word files (.docx) into a policy in the source: its text with facts as placeholders, its front matter
    and approvals from the document control, its pictures, and a report of everything a person must check."""
    from policypress.core.errors import UsageError
    from policypress.importer.report import summary_lines, write_reports
    from policypress.importer.run import ImportRequest, run_import

    if model_id and school:
        raise UsageError("--model takes --schools A,B,… (one per file), not --school")
    chosen = schools if model_id else ((school,) if school else ())
    result = run_import(ImportRequest(root, files, trust, chosen, model_id or policy_id, bool(model_id), force,
                                      dry_run))
    html, text = write_reports(root, result, json_file)
    for line in summary_lines(result):
        click.echo(line, err=json_file == "-")
    click.echo(f"Report: {html}", err=json_file == "-")
    if json_file == "-":
        click.echo(text, nl=False)
