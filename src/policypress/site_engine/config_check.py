"""Check the project's mkdocs.yml before any build: every problem as `mkdocs.yml:line: what — fix`.

mkdocs.yml is the base every school's config INHERITs (mkdocs_driver.py), so whatever it says
reaches every page of every school. MkDocs itself would run `hooks:` (any Python), publish
`extra_javascript` from any host, build its own default theme (scripts from a CDN) from an empty
file, and report a broken file as raw text once per school. So the file is read here, as YAML
nodes with their lines (nothing is constructed, no tag runs), and held to an allow-list:

- the theme is Material (`theme: {name: material}`), with `font: false` (no Google Fonts) and
  no `custom_dir` (templates of its own could add anything to a page);
- plugins are only Material's built-ins that make no request at build or view time
  (ALLOWED_PLUGINS); social (fetches fonts), privacy (downloads assets), projects (builds
  other configs), info, optimize, blog and every third-party plugin are refused;
- no `hooks`, no `markdown_extensions` (policypress sets them from dialect.py), no `INHERIT`,
  `docs_dir`, `site_dir` or `nav` (policypress writes them per school), no `repo_url` or
  `edit_uri` (Material fetches the repository's facts from its host on every visit);
- `extra_css`, `extra_javascript` and any address in `extra` (Material's `analytics` is refused)
  or in the theme must be in the site: no scheme, no `//host`; links people click
  (`extra.social`, `extra.alternate`) may go anywhere;
- no `!!python/…` tag (it runs code while MkDocs reads the file); `!ENV` only on text settings
  (TEXT_KEYS), checked as the value it takes in this environment, as the build will see it;
- `use_directory_urls: false` (policypress links pages by their .html address), `strict` true or
  false, `validation` levels warn, info or ignore;
- an empty file, a file that is not keys and values, or YAML that cannot be read is a problem.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import partial

import yaml

from policypress.core.errors import Problem

CONFIG = "mkdocs.yml"
THEME = "material"
ALLOWED_PLUGINS = frozenset({"search", "tags", "offline"})  # Material's; each may be written material/NAME
REFUSED_PLUGINS = {
    "social": "it downloads fonts from Google Fonts while building",
    "privacy": "it downloads every external asset while building",
    "projects": "it builds other MkDocs configs, which this check never sees",
    "info": "it is for bug reports and stops the build",
    "optimize": "it runs image tools installed on the building machine",
    "blog": "policypress writes every page itself and has no blog folder",
}
TEXT_KEYS = frozenset({"site_name", "site_description", "site_author", "site_url", "copyright"})
PLAIN_KEYS = frozenset({"exclude_docs", "not_in_nav", "draft_docs", "dev_addr", "watch", "remote_branch",
                        "remote_name"})
BOOLEANS = {"use_directory_urls": "false", "strict": "true"}  # name: the value the example has
VALIDATION_KEYS = frozenset({"omitted_files", "not_found", "absolute_links", "unrecognized_links", "anchors"})
VALIDATION_LEVELS = frozenset({"warn", "info", "ignore", "relative_to_docs"})
ASSET_LISTS = ("extra_css", "extra_javascript")
WRITTEN_BY_POLICYPRESS = {
    "markdown_extensions": "policypress sets the Markdown extensions from src/policypress/site_engine/dialect.py, "
                           "so that the site reads Markdown as the sanitiser, the link check and the PDF do",
    "INHERIT": "policypress writes each school's config, which inherits mkdocs.yml itself",
    "docs_dir": "policypress writes each school's pages and sets where they are",
    "site_dir": "policypress sets where each school's site goes (--out)",
    "nav": "policypress writes each school's navigation from its policies",
}
REFUSED_KEYS = {
    "hooks": ("hooks run any Python code during the build",
              "remove hooks:; policypress builds the site, and mkdocs.yml only sets the look"),
    "repo_url": ("Material fetches the repository's facts (stars, forks) from its host on every visit",
                 "remove it; put the address in the README or in a policy instead"),
    "edit_uri": ("an edit link sends readers to the repository's host and needs repo_url",
                 "remove it"),
    "extra_templates": ("extra templates are pages policypress does not write or check", "remove it"),
}
THEME_KEYS = frozenset({"name", "language", "locale", "features", "palette", "font", "icon", "direction", "favicon"})
LINK_KEYS = frozenset({"social", "alternate", "homepage"})  # under extra: addresses people click, never loaded
STANDARD_TAG = re.compile(r"^tag:yaml\.org,2002:(str|int|float|bool|null|map|seq|timestamp|binary|merge|value)$")
OTHER_HOST = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//)")
MATERIAL_EXAMPLE = ("write theme:, then on the next lines '  name: material' and '  font: false' "
                    "(see the example's mkdocs.yml)")


def config_problems(text: str | None) -> list[Problem]:
    """Every problem of the project's mkdocs.yml, given its text (None: there is none); none when it may be built.

    The caller reads the file with the project's one reader (inside the project, bounded, UTF-8)."""
    if text is None:
        return [Problem(CONFIG, 1, f"there is no {CONFIG} in the project folder",
                        "copy the example's mkdocs.yml into it (it sets the Material theme)")]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)  # nodes only: no tag is constructed
    except yaml.MarkedYAMLError as exc:
        return [_syntax_problem(exc)]
    except yaml.YAMLError as exc:
        return [Problem(CONFIG, 1, f"YAML cannot read {CONFIG} ({exc})", "check the file's indentation and quoting")]
    if node is None:
        return [Problem(CONFIG, 1, f"{CONFIG} is empty, and MkDocs would build its default theme, which loads "
                        "scripts from another website", f"write the settings of the example's {CONFIG} into it")]
    if not isinstance(node, yaml.MappingNode):
        return [Problem(CONFIG, _line(node), f"{CONFIG} should hold keys and values",
                        f"start it with site_name: and theme:, as the example's {CONFIG} does")]
    return _Checker().check(node)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _syntax_problem(exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    what = exc.problem or exc.context or "the text does not follow YAML's rules"
    return Problem(CONFIG, line, f"YAML cannot read this line of {CONFIG} ({what})",
                   "check the indentation and quoting on this line and the one above")


class _Checker:
    """Walks the file's nodes, collecting every problem."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, node: yaml.Node, what: str, fix: str) -> None:
        self.problems.append(Problem(CONFIG, _line(node), what, fix))

    def check(self, top: yaml.MappingNode) -> list[Problem]:
        keys = {}
        for key, value in top.value:
            name = str(key.value)
            keys[name] = key
            self._tags(key, allow_env=False)
            if self._tags(value, allow_env=name in TEXT_KEYS) or name not in TEXT_KEYS:
                self._key(name, key, value)
        if "use_directory_urls" not in keys:
            self.add(top, f"{CONFIG} does not say use_directory_urls: false, and MkDocs would move every page into "
                     "a folder of its own, so the links policypress writes (.html addresses) would not work",
                     "add the line use_directory_urls: false")
        if "theme" not in keys:
            self.add(top, f"{CONFIG} does not set the theme, and MkDocs would build its default one, which loads "
                     "scripts from another website", MATERIAL_EXAMPLE)
        return self.problems

    def _tags(self, node: yaml.Node, allow_env: bool) -> bool:
        """python tags run code, MkDocs' own tags depend on the building machine: refuse them.

        Whether node has none (its value can then be checked)."""
        if node.tag.startswith("tag:yaml.org,2002:python/"):
            self.add(node, f"the tag '!!{node.tag.removeprefix('tag:yaml.org,2002:')}' runs Python code while "
                     f"MkDocs reads {CONFIG}", "remove the tag and write the value itself")
            return False
        if node.tag == "!ENV" and not allow_env:
            self.add(node, "'!ENV' takes a value from the building machine's environment here, so this setting "
                     "could not be checked before the build", "write the value itself (!ENV is allowed only on "
                     f"{', '.join(sorted(TEXT_KEYS))})")
            return False
        if node.tag != "!ENV" and not STANDARD_TAG.match(node.tag):
            self.add(node, f"the tag '{node.tag}' is not plain YAML", "remove the tag and write the value itself")
            return False
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        return all([self._tags(child, allow_env=False) for child in children])

    def _key(self, name: str, key: yaml.Node, value: yaml.Node) -> None:
        checks: dict[str, Callable[[], None]] = {
            "theme": lambda: self._theme(key, value),
            "plugins": lambda: self._plugins(value),
            "extra": lambda: self._extra(value, "extra"),
            "validation": lambda: self._validation(value),
            **{asset: partial(self._assets, asset, value) for asset in ASSET_LISTS},
            **{text: partial(self._text, text, value) for text in TEXT_KEYS},
            **{flag: partial(self._boolean, flag, value) for flag in BOOLEANS},
        }
        if name in WRITTEN_BY_POLICYPRESS:
            self.add(key, f"{CONFIG} sets {name}, which policypress writes for every school",
                     f"remove {name}: {WRITTEN_BY_POLICYPRESS[name]}")
        elif name in REFUSED_KEYS:
            what, fix = REFUSED_KEYS[name]
            self.add(key, f"{CONFIG} sets {name}: {what}", fix)
        elif name in checks:
            checks[name]()
        elif name not in PLAIN_KEYS:
            allowed = sorted({*checks, *PLAIN_KEYS})
            self.add(key, f"'{name}' is not a setting policypress lets mkdocs.yml have",
                     f"remove it, or use one of: {', '.join(allowed)}")

    def _boolean(self, name: str, value: yaml.Node) -> None:
        text = (_scalar(value) or "").lower()
        if text not in ("true", "false", "yes", "no", "on", "off") or value.tag != "tag:yaml.org,2002:bool":
            self.add(value, f"{name} should be true or false", f"write {name}: {BOOLEANS[name]}")
        elif name == "use_directory_urls" and text not in ("false", "no", "off"):
            self.add(value, "use_directory_urls: true would move every page into a folder of its own, and the "
                     "links policypress writes name pages by their .html address", "write use_directory_urls: false")

    def _validation(self, value: yaml.Node, where: str = "validation") -> None:
        if not isinstance(value, yaml.MappingNode):
            self.add(value, f"{where} should hold keys and values", "write it as the example's mkdocs.yml does")
            return
        for key, item in value.value:
            name = str(key.value)
            if name in ("nav", "links") and where == "validation":
                self._validation(item, f"validation {name}")
            elif name not in VALIDATION_KEYS:
                self.add(key, f"'{name}' is not a setting of {where}",
                         f"use one of: {', '.join(sorted(VALIDATION_KEYS))}")
            elif _scalar(item) not in VALIDATION_LEVELS:
                self.add(item, f"{where} {name} should be warn, info or ignore", f"write {name}: warn")

    def _text(self, name: str, value: yaml.Node) -> None:
        text = _env_value(value) if value.tag == "!ENV" else _scalar(value)
        if text is None:
            if value.tag != "!ENV":
                self.add(value, f"{name} should be one line of text", f"write {name}: and the text on one line")
            return
        if re.search(r"[<>\"]", text):  # Material prints these settings into the page's HTML as written
            self.add(value, f"{name} holds '<', '>' or '\"', and Material puts it into every page's HTML as it is",
                     "write plain text, without HTML")
        if name == "site_url" and text and not re.match(r"^https?://", text):
            self.add(value, f"site_url '{text}' is not a web address", "write it as https://…, or remove it")

    def _theme(self, key: yaml.Node, value: yaml.Node) -> None:
        if isinstance(value, yaml.ScalarNode):
            self.add(value, f"the theme is '{value.value}': policypress builds with Material only"
                     if value.value != THEME else
                     "theme: material leaves Material's fonts on, which load from Google Fonts", MATERIAL_EXAMPLE)
            return
        if not isinstance(value, yaml.MappingNode):
            self.add(value, "theme should hold keys and values", MATERIAL_EXAMPLE)
            return
        found = {str(k.value): (k, v) for k, v in value.value}
        self._theme_name_and_font(key, found)
        for option, (option_key, option_value) in found.items():
            if option == "custom_dir":
                self.add(option_key, "theme custom_dir replaces Material's templates, so a page could load anything",
                         "remove custom_dir; the school's colour and logo are set in its trust.yml or school file")
            elif option not in THEME_KEYS:
                self.add(option_key, f"'{option}' is not a theme setting policypress allows",
                         f"remove it, or use one of: {', '.join(sorted(THEME_KEYS))}")
            elif option != "font":
                self._addresses(option_value, f"theme {option}")

    def _theme_name_and_font(self, key: yaml.Node, found: dict[str, tuple[yaml.Node, yaml.Node]]) -> None:
        name = found.get("name")
        if name is None:
            self.add(key, "the theme has no name, and MkDocs would build its default theme, which loads scripts "
                     "from another website", "add '  name: material' under theme:")
        elif _scalar(name[1]) != THEME:
            self.add(name[1], f"the theme is '{_scalar(name[1])}': policypress builds with Material only",
                     "write name: material")
        font = found.get("font")
        if font is None:
            self.add(key, "the theme does not say font: false, and Material would load its fonts from Google Fonts "
                     "on every page", "add '  font: false' under theme:")
        elif _scalar(font[1]) not in ("false", "False", "FALSE", "no", "off"):
            self.add(font[1], "theme font loads fonts from Google Fonts on every page",
                     "write font: false (the pages then use the reader's own fonts)")

    def _plugins(self, value: yaml.Node) -> None:
        if isinstance(value, yaml.MappingNode):
            entries = [(k, v) for k, v in value.value]
        elif isinstance(value, yaml.SequenceNode):
            entries = [(_plugin_key(item), item) for item in value.value]
        else:
            self.add(value, "plugins should be a list of names, or names with their settings",
                     "write plugins:, then on the next line '  search: {}'")
            return
        allowed = ", ".join(sorted(ALLOWED_PLUGINS))
        for key, _settings in entries:
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else ""
            bare = name.removeprefix("material/")
            if bare in ALLOWED_PLUGINS:
                continue
            if bare in REFUSED_PLUGINS:
                self.add(key, f"the plugin '{name}' is refused: {REFUSED_PLUGINS[bare]}",
                         f"remove it; the plugins allowed are Material's {allowed}")
            else:
                self.add(key, f"the plugin '{name}' is not one of Material's built-in plugins that policypress "
                         "allows, and a plugin runs any code during the build", f"remove it; use only {allowed}")

    def _assets(self, name: str, value: yaml.Node) -> None:
        if not isinstance(value, yaml.SequenceNode):
            self.add(value, f"{name} should be a list of files of the site", f"write {name}: [] or remove it")
            return
        for item in value.value:
            address = _scalar(item)
            if address is None and isinstance(item, yaml.MappingNode):  # MkDocs 1.5+: {path: …, type: …}
                address = next((_scalar(v) for k, v in item.value if k.value == "path"), None)
            if address is None:
                self.add(item, f"this entry of {name} is not a file name", "write the file's path in the site")
            elif OTHER_HOST.match(address.strip()):
                self.add(item, f"{name} loads '{address}' from another website on every page, and the site "
                         "must not make any request to other websites",
                         "remove it, or copy the file into the site and give its path")

    def _extra(self, value: yaml.Node, where: str) -> None:
        if not isinstance(value, yaml.MappingNode):
            self._addresses(value, where)
            return
        for key, item in value.value:
            name = str(key.value)
            if where == "extra" and name == "analytics":
                self.add(key, "extra analytics loads a tracking script from another website on every page",
                         "remove analytics: the site must not make any request to other websites")
            elif not (where == "extra" and name in LINK_KEYS):
                self._extra(item, f"{where} {name}")

    def _addresses(self, node: yaml.Node, where: str) -> None:
        """Every text under node that is an address of another website."""
        if isinstance(node, yaml.MappingNode):
            for _key, item in node.value:
                self._addresses(item, where)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                self._addresses(item, where)
        else:
            text = _scalar(node)
            if text and OTHER_HOST.match(text.strip()) and not text.strip().startswith("#"):
                self.add(node, f"{where} names '{text}', which would load from another website",
                         "remove it, or use a file of the site")


def _plugin_key(item: yaml.Node) -> yaml.Node:
    """A plugins list item: `- search` or `- search: {lang: en}`."""
    if isinstance(item, yaml.MappingNode) and item.value:
        first: yaml.Node = item.value[0][0]
        return first
    return item


def _scalar(node: yaml.Node) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _env_value(node: yaml.Node) -> str | None:
    """What MkDocs makes of `!ENV NAME` or `!ENV [NAME, …, default]` in this environment."""
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(str(node.value), "")
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        return None
    items = [_scalar(item) or "" for item in node.value]
    names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, "")
    return next((os.environ[name] for name in names if name in os.environ), default)
