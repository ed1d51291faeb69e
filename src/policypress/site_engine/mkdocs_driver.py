"""The one module that drives MkDocs: a small config per school that INHERITs mkdocs.yml.

Kept small on purpose: Material for MkDocs reaches end of life in May 2027, and swapping
in ProperDocs or Zensical should mean changing this package only.

The engine is MkDocs unless the environment variable POLICYPRESS_SITE_ENGINE says `properdocs`:
ProperDocs, the MkDocs 1.6 fork, then builds the same configs with the same Material theme.
Its `properdocs.replacement` redirects every `mkdocs.*` import to `properdocs.*` for the whole
interpreter (Material imports `mkdocs`), so a ProperDocs build always runs in freshly started
worker processes and never touches the calling process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Literal

import yaml

from policypress.core.errors import BuildFailed
from policypress.site_engine import chrome, material
from policypress.site_engine.chrome import SiteChrome
from policypress.site_engine.dialect import site_extensions

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material prints an end-of-life banner otherwise

Engine = Literal["mkdocs", "properdocs"]
ENGINE_VARIABLE = "POLICYPRESS_SITE_ENGINE"
ENGINES: tuple[Engine, ...] = ("mkdocs", "properdocs")
LOGGERS = ("mkdocs", "properdocs")  # ProperDocs logs as properdocs.*, Material as mkdocs.* under either


@dataclass(frozen=True)
class SiteJob:
    """One school's site to build: where its docs are and where the site goes."""

    school_id: str
    site_name: str
    docs_dir: Path
    site_dir: Path
    nav: list[dict[str, Any]]
    logo: str | None = None
    chrome: SiteChrome | None = None


def write_config(job: SiteJob, base_config: Path, config_path: Path) -> None:
    """Write the school's mkdocs config: INHERIT the root file, override only what differs.

    The Markdown extensions come from dialect.py, so the site reads Markdown as the checks and the PDF do.
    The site name and nav titles are text: material.py, the config's hooks file, escapes them for the theme.
    Our own templates (overrides/: footer, 404 page, en-GB) come in as the theme's custom_dir, with the
    school's facts for them (job.chrome) under extra.policypress, escaped by the hooks file chrome.py.
    """
    config: dict[str, Any] = {
        "INHERIT": str(base_config.resolve()),
        "site_name": job.site_name,
        "docs_dir": str(job.docs_dir.resolve()),
        "site_dir": str(job.site_dir.resolve()),
        "nav": job.nav,
        "extra_css": ["assets/school.css", chrome.STYLESHEET],
        "markdown_extensions": site_extensions(),
        "hooks": [str(Path(material.__file__).resolve()), str(Path(chrome.__file__).resolve())],
    }
    theme: dict[str, Any] = {"custom_dir": str(chrome.OVERRIDES.resolve())}  # INHERIT merges it with the base
    if job.logo:
        theme["logo"] = job.logo
    if job.chrome:
        config["extra"] = {chrome.EXTRA_KEY: job.chrome.config()}
        if job.chrome.favicon:
            theme["favicon"] = job.chrome.favicon
    config["theme"] = theme
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def site_engine() -> Engine:
    """The engine POLICYPRESS_SITE_ENGINE names: mkdocs (when unset or empty) or properdocs."""
    name = os.environ.get(ENGINE_VARIABLE, "").strip().lower() or "mkdocs"
    for engine in ENGINES:
        if name == engine:
            return engine
    raise BuildFailed(f"{ENGINE_VARIABLE}={name!r}: the site engine must be one of {', '.join(ENGINES)}")


def build_sites(configs: list[Path], jobs: int, source_date_epoch: int, engine: Engine | None = None,
                done: Callable[[int], None] | None = None) -> None:
    """Build every config, `jobs` at a time; raise BuildFailed with the engine's own messages.

    engine: MkDocs or ProperDocs; by default the one POLICYPRESS_SITE_ENGINE names.
    done is told of each site built.
    """
    engine = engine or site_engine()
    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    build = partial(_build_one, engine=engine)
    tell = done or (lambda _n: None)
    failures = []
    if engine == "mkdocs" and (jobs <= 1 or len(configs) <= 1):
        for config in configs:
            failures.append(build(config))
            tell(1)
    else:
        context = multiprocessing.get_context("fork" if engine == "mkdocs" else "spawn")
        with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(configs))), mp_context=context) as pool:
            for found in pool.map(build, configs):
                failures.append(found)
                tell(1)
    messages = [m for found in failures for m in found]
    if messages:
        raise BuildFailed("the site build failed:\n" + "\n".join(messages))


class _Collect(logging.Handler):
    """Keeps the engine's warnings and errors so that they fail the build instead of scrolling by."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _build_one(config_path: Path, engine: Engine = "mkdocs") -> list[str]:
    """Build one school's site; its warnings and errors, each prefixed with the school id."""
    if engine == "properdocs":
        import properdocs.replacement  # noqa: F401 — from here on, mkdocs.* is properdocs.*
    collector = _Collect()
    for name in LOGGERS:
        logging.getLogger(name).addHandler(collector)
    try:
        _run_build(config_path, collector)
    finally:
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(collector)
    return [f"{config_path.stem}: {m}" for m in collector.messages]


def _run_build(config_path: Path, collector: _Collect) -> None:
    """What `mkdocs build` does for one config (startup, build, shutdown); its failure is collected."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        config = load_config(config_file=str(config_path))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        collector.messages.append(str(exc))
