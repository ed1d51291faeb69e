"""The one module that drives MkDocs: a small config per school that INHERITs mkdocs.yml.

Kept small on purpose: Material for MkDocs reaches end of life in May 2027, and swapping
in ProperDocs or Zensical should mean changing this module only.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from policypress.core.errors import BuildFailed

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material prints an end-of-life banner otherwise


@dataclass(frozen=True)
class SiteJob:
    """One school's site to build: where its docs are and where the site goes."""

    school_id: str
    site_name: str
    docs_dir: Path
    site_dir: Path
    nav: list[dict[str, Any]]
    logo: str | None = None


def write_config(job: SiteJob, base_config: Path, config_path: Path) -> None:
    """Write the school's mkdocs config: INHERIT the root file, override only what differs."""
    config: dict[str, Any] = {
        "INHERIT": str(base_config.resolve()),
        "site_name": job.site_name,
        "docs_dir": str(job.docs_dir.resolve()),
        "site_dir": str(job.site_dir.resolve()),
        "nav": job.nav,
        "extra_css": ["assets/school.css"],
    }
    if job.logo:
        config["theme"] = {"logo": job.logo}  # a mapping: INHERIT merges it with the base theme
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def build_sites(configs: list[Path], jobs: int, source_date_epoch: int) -> None:
    """Build every config, `jobs` at a time; raise BuildFailed with MkDocs' own messages."""
    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    if jobs <= 1 or len(configs) <= 1:
        failures = [_build_one(c) for c in configs]
    else:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            failures = list(pool.map(_build_one, configs))
    messages = [m for found in failures for m in found]
    if messages:
        raise BuildFailed("the site build failed:\n" + "\n".join(messages))


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings and errors so that they fail the build instead of scrolling by."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _build_one(config_path: Path) -> list[str]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    try:
        config = load_config(config_file=str(config_path))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        collector.messages.append(str(exc))
    finally:
        logger.removeHandler(collector)
    return [f"{config_path.stem}: {m}" for m in collector.messages]
