"""`policypress merge`: the outputs of `policypress build --shard K/N` jobs as one site."""

from __future__ import annotations

from pathlib import Path

import click

from policypress.commands.options import root_option


@click.command("merge")
@click.argument("shards", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder [default: ROOT/build]; the merged site goes in OUT/site, the reports in OUT/reports.")
@root_option
@click.pass_obj
def merge_command(root: Path, shards: tuple[Path, ...], out: Path | None) -> None:
    """Merge the --out folders of `policypress build --shard K/N` (K = 1 to N) into one output, the same
    bytes as one full build. Refuses (exit 2, nothing written) if a shard is missing or the shards were
    built from different sources or dates."""
    from policypress.publish.merge import merge_shards

    result = merge_shards([s.resolve() for s in shards], (out or root / "build").resolve())
    click.echo(f"merged {result.shards} shard(s): {len(result.schools)} school site(s) into {result.site}")
