"""Hostile or broken input outside the policy text: mkdocs.yml, logos, approvals written by hand, HTML links.

Each refused case starts from a project that has been built once, breaks one thing, builds again
and expects exit 2, the exact `path:line: what — fix` lines, the previous build/ byte for byte,
and no traceback. Every run is on a fixed day (SOURCE_DATE_EPOCH: 22 November 2026).
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import POLICY, SCHOOL, TRUST, minimal_tree, write_tree
from policypress.site_engine.config_check import config_problems
from tree_tools import add_files, run, tree_digest


def config_of(root: Path) -> list[object]:
    """The problems of root/mkdocs.yml, as load_project sees them."""
    return list(config_problems((root / "mkdocs.yml").read_text(encoding="utf-8")))

ALPHA = "schools/test-trust/alpha.yml"
TRUST_FILE = "schools/test-trust/trust.yml"
SAFEGUARDING = "content/policies/safeguarding.md"
MKDOCS = (Path(__file__).resolve().parent.parent / "mkdocs.yml").read_text(encoding="utf-8")
EPOCH = str(int(dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC).timestamp()))
LOGO_LINE = 12  # TRUST + "branding:\n  logo: …": the logo's line in trust.yml
LINKS_FROM = 29  # with_links: the first added sentence's line in the policy file
SVG_FIX = "remove it (save the logo again as a plain SVG, or as a PNG)"
OFFSITE = "remove it, or copy the file into the site and give its path"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal project, built once (no PDFs); each test works on a copy of it, build/ included."""
    root = write_tree(tmp_path_factory.mktemp("built") / "project", minimal_tree())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = run(root, "build", "--no-pdf")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def project(built_once: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "project"
    shutil.copytree(built_once, copy)
    yield copy


def refused(root: Path, files: dict[str, str | bytes], *args: str) -> list[str]:
    """Change files, build again: exit 2, no traceback, build/ as it was; the problem lines."""
    before = tree_digest(root / "build")
    add_files(root, files)
    result = run(root, *(args or ("build", "--no-pdf")))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(root / "build") == before
    lines = result.stderr.splitlines()
    assert lines[-1] == f"{len(lines) - 1} problem(s) found; nothing was written."
    return lines[:-1]


def built(root: Path, files: dict[str, str | bytes], *args: str) -> Path:
    add_files(root, files)
    result = run(root, "build", *(args or ("--no-pdf",)))
    assert result.returncode == 0, result.stderr
    return root / "build" / "site"


def mkdocs_with(extra: str, base: str = MKDOCS) -> dict[str, str | bytes]:
    return {"mkdocs.yml": base + extra}


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# mkdocs.yml --------------------------------------------------------------------------------------


def test_the_example_mkdocs_yml_passes() -> None:
    assert config_of(Path(__file__).resolve().parent.parent) == []


def test_hooks_are_refused(project: Path) -> None:
    line = len(MKDOCS.splitlines()) + 1
    assert refused(project, mkdocs_with("hooks:\n  - evil.py\n")) == [
        f"mkdocs.yml:{line}: mkdocs.yml sets hooks: hooks run any Python code during the build — remove hooks:; "
        "policypress builds the site, and mkdocs.yml only sets the look"]


def test_extra_javascript_from_a_cdn_is_refused(project: Path) -> None:
    line = len(MKDOCS.splitlines()) + 2
    assert refused(project, mkdocs_with("extra_javascript:\n  - https://cdn.example.com/x.js\n")) == [
        f"mkdocs.yml:{line}: extra_javascript loads 'https://cdn.example.com/x.js' from another website on every "
        f"page, and the site must not make any request to other websites — {OFFSITE}"]


def test_extra_javascript_without_a_scheme_but_another_host_is_refused(project: Path) -> None:
    line = len(MKDOCS.splitlines()) + 1
    assert refused(project, mkdocs_with("extra_javascript: [{path: //cdn.example.com/x.js, type: module}]\n")) == [
        f"mkdocs.yml:{line}: extra_javascript loads '//cdn.example.com/x.js' from another website on every "
        f"page, and the site must not make any request to other websites — {OFFSITE}"]


def test_extra_css_from_another_host_is_refused(project: Path) -> None:
    line = len(MKDOCS.splitlines()) + 2
    assert refused(project, mkdocs_with("extra_css:\n  - http://fonts.example.net/a.css\n")) == [
        f"mkdocs.yml:{line}: extra_css loads 'http://fonts.example.net/a.css' from another website on every "
        f"page, and the site must not make any request to other websites — {OFFSITE}"]


def test_extra_assets_and_analytics_are_refused_but_social_links_are_not(project: Path) -> None:
    base = MKDOCS.replace("extra:\n  generator: false\n",
                          "extra:\n  generator: false\n  banner: https://img.example.com/b.png\n"
                          "  analytics:\n    provider: google\n    property: G-XXXX\n"
                          "  social:\n    - icon: fontawesome/brands/mastodon\n      link: https://example.social/@t\n")
    assert base != MKDOCS
    assert refused(project, {"mkdocs.yml": base}) == [
        f"mkdocs.yml:{line_of(base, 'banner')}: extra banner names 'https://img.example.com/b.png', which would "
        "load from another website — remove it, or use a file of the site",
        f"mkdocs.yml:{line_of(base, 'analytics')}: extra analytics loads a tracking script from another website on "
        "every page — remove analytics: the site must not make any request to other websites"]


@pytest.mark.parametrize("theme", ["mkdocs", "readthedocs"])
def test_a_theme_other_than_material_is_refused(project: Path, theme: str) -> None:
    base = MKDOCS.replace("  name: material", f"  name: {theme}")
    assert refused(project, {"mkdocs.yml": base}) == [
        f"mkdocs.yml:{line_of(base, 'name: ' + theme)}: the theme is '{theme}': policypress builds with Material "
        "only — write name: material"]


def test_a_missing_theme_is_refused(project: Path) -> None:
    base = "site_name: School policies\nuse_directory_urls: false\nplugins:\n  search: {}\n"
    assert refused(project, {"mkdocs.yml": base}) == [
        "mkdocs.yml:1: mkdocs.yml does not set the theme, and MkDocs would build its default one, which loads "
        "scripts from another website — write theme:, then on the next lines '  name: material' and "
        "'  font: false' (see the example's mkdocs.yml)"]


def test_a_theme_without_a_name_or_with_google_fonts_is_refused(project: Path) -> None:
    base = MKDOCS.replace("  name: material\n", "").replace("  font: false", "  font:\n    text: Roboto")
    assert refused(project, {"mkdocs.yml": base}) == [
        f"mkdocs.yml:{line_of(base, 'theme:')}: the theme has no name, and MkDocs would build its default theme, "
        "which loads scripts from another website — add '  name: material' under theme:",
        f"mkdocs.yml:{line_of(base, 'text: Roboto')}: theme font loads fonts from Google Fonts on every page — "
        "write font: false (the pages then use the reader's own fonts)"]


def test_theme_custom_dir_and_unknown_theme_settings_are_refused(project: Path) -> None:
    base = MKDOCS.replace("  language: en\n", "  language: en\n  custom_dir: overrides\n  shortcut: x\n")
    assert refused(project, {"mkdocs.yml": base}) == [
        f"mkdocs.yml:{line_of(base, 'custom_dir')}: theme custom_dir replaces Material's templates, so a page could "
        "load anything — remove custom_dir; the school's colour and logo are set in its trust.yml or school file",
        f"mkdocs.yml:{line_of(base, 'shortcut')}: 'shortcut' is not a theme setting policypress allows — remove it, "
        "or use one of: direction, favicon, features, font, icon, language, locale, name, palette"]


@pytest.mark.parametrize("text", ["", "# only a comment\n\n"])
def test_an_empty_mkdocs_yml_is_refused(project: Path, text: str) -> None:
    assert refused(project, {"mkdocs.yml": text}) == [
        "mkdocs.yml:1: mkdocs.yml is empty, and MkDocs would build its default theme, which loads scripts from "
        "another website — write the settings of the example's mkdocs.yml into it"]


def test_broken_yaml_is_reported_once_at_its_line(project: Path) -> None:
    base = MKDOCS.replace("  language: en\n", "  language: en\n    font: [false\n")
    assert refused(project, {"mkdocs.yml": base}) == [
        f"mkdocs.yml:{line_of(base, 'font: [false')}: YAML cannot read this line of mkdocs.yml (mapping values "
        "are not allowed here) — check the indentation and quoting on this line and the one above"]


def test_a_list_instead_of_settings_is_refused(project: Path) -> None:
    assert refused(project, {"mkdocs.yml": "- theme\n- material\n"}) == [
        "mkdocs.yml:1: mkdocs.yml should hold keys and values — start it with site_name: and theme:, as the "
        "example's mkdocs.yml does"]


def test_a_missing_mkdocs_yml_is_refused(project: Path) -> None:
    before = tree_digest(project / "build")
    (project / "mkdocs.yml").unlink()
    result = run(project, "check", "content")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == ("mkdocs.yml:1: there is no mkdocs.yml in the project folder — copy "
                                             "the example's mkdocs.yml into it (it sets the Material theme)")
    assert tree_digest(project / "build") == before


@pytest.mark.parametrize("tag", ["!!python/name:os.system", "!!python/object/apply:os.system [echo hi]"])
def test_python_tags_are_refused_before_mkdocs_could_run_them(project: Path, tag: str) -> None:
    line = len(MKDOCS.splitlines()) + 1
    shown = tag.split(" ")[0]
    assert refused(project, mkdocs_with(f"site_description: {tag}\n")) == [
        f"mkdocs.yml:{line}: the tag '{shown}' runs Python code while MkDocs reads mkdocs.yml — remove the tag "
        "and write the value itself"]


def test_env_is_refused_where_it_could_load_something_and_read_where_it_is_text(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYPRESS_TEST_SITE", "https://policies.example.org/")
    assert config_of(add_files(project, mkdocs_with("site_url: !ENV [POLICYPRESS_TEST_SITE, https://x.org/]\n"))) \
        == []
    line = len(MKDOCS.splitlines()) + 1
    assert refused(project, mkdocs_with("extra_javascript: [!ENV SCRIPT]\n")) == [
        f"mkdocs.yml:{line}: '!ENV' takes a value from the building machine's environment here, so this setting "
        "could not be checked before the build — write the value itself (!ENV is allowed only on copyright, "
        "site_author, site_description, site_name, site_url)"]


@pytest.mark.parametrize(("plugin", "why"), [
    ("social", "the plugin 'social' is refused: it downloads fonts from Google Fonts while building — remove it; "
               "the plugins allowed are Material's offline, search, tags"),
    ("material/privacy", "the plugin 'material/privacy' is refused: it downloads every external asset while "
                         "building — remove it; the plugins allowed are Material's offline, search, tags"),
    ("redirects", "the plugin 'redirects' is not one of Material's built-in plugins that policypress allows, and a "
                  "plugin runs any code during the build — remove it; use only offline, search, tags"),
])
def test_plugins_outside_materials_safe_built_ins_are_refused(project: Path, plugin: str, why: str) -> None:
    base = MKDOCS.replace("  search: {}\n", f"  search: {{}}\n  {plugin}: {{}}\n")
    assert refused(project, {"mkdocs.yml": base}) == [f"mkdocs.yml:{line_of(base, plugin + ':')}: {why}"]


def test_materials_safe_plugins_pass_as_a_list_too(tmp_path: Path) -> None:
    base = MKDOCS.replace("plugins:\n  search: {}\n", "plugins:\n  - search\n  - material/tags\n  - offline:\n"
                          "      enabled: true\n")
    (tmp_path / "mkdocs.yml").write_text(base, encoding="utf-8")
    assert config_of(tmp_path) == []


def test_markdown_extensions_are_refused(project: Path) -> None:
    line = len(MKDOCS.splitlines()) + 1
    extensions = "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions\n"
    assert refused(project, mkdocs_with(extensions)) == [
        f"mkdocs.yml:{line}: mkdocs.yml sets markdown_extensions, which policypress writes for every school — "
        "remove markdown_extensions: policypress sets the Markdown extensions from "
        "src/policypress/site_engine/dialect.py, so that the site reads Markdown as the sanitiser, the link "
        "check and the PDF do",
        f"mkdocs.yml:{line + 2}: the tag '!!python/name:material.extensions' runs Python code while MkDocs reads "
        "mkdocs.yml — remove the tag and write the value itself"]


def test_repo_url_inherit_html_in_text_and_unknown_keys_are_refused(project: Path) -> None:
    extra = ("repo_url: https://github.com/x/y\nINHERIT: other.yml\ncopyright: <script>alert(1)</script>\n"
             "colour_scheme: dark\n")
    first = len(MKDOCS.splitlines()) + 1
    assert refused(project, mkdocs_with(extra)) == [
        f"mkdocs.yml:{first}: mkdocs.yml sets repo_url: Material fetches the repository's facts (stars, forks) "
        "from its host on every visit — remove it; put the address in the README or in a policy instead",
        f"mkdocs.yml:{first + 1}: mkdocs.yml sets INHERIT, which policypress writes for every school — remove "
        "INHERIT: policypress writes each school's config, which inherits mkdocs.yml itself",
        f"mkdocs.yml:{first + 2}: copyright holds '<', '>' or '\"', and Material puts it into every page's HTML "
        "as it is — write plain text, without HTML",
        f"mkdocs.yml:{first + 3}: 'colour_scheme' is not a setting policypress lets mkdocs.yml have — remove it, "
        "or use one of: copyright, dev_addr, draft_docs, exclude_docs, extra, extra_css, extra_javascript, "
        "not_in_nav, plugins, remote_branch, remote_name, site_author, site_description, site_name, site_url, "
        "strict, theme, use_directory_urls, validation, watch"]


def test_check_approve_and_pack_refuse_a_bad_mkdocs_yml_too(project: Path) -> None:
    line = len(MKDOCS.splitlines()) + 1
    expected = [f"mkdocs.yml:{line}: mkdocs.yml sets hooks: hooks run any Python code during the build — remove "
                "hooks:; policypress builds the site, and mkdocs.yml only sets the look"]
    assert refused(project, mkdocs_with("hooks: [evil.py]\n"), "check", "content") == expected
    assert refused(project, {}, "approve", "--school", "alpha", "--policy", "safeguarding", "--by",
                   "full_governing_body", "--date", "2026-11-20") == expected
    assert not (project / "approvals").exists()
    assert refused(project, {}, "pack", "--school", "alpha", "--meeting", "2026-11-20") == expected
    assert not (project / "build" / "governors").exists()


def test_directory_urls_strict_and_validation_must_be_what_the_build_needs(project: Path) -> None:
    base = (MKDOCS.replace("use_directory_urls: false", "use_directory_urls: true")
            .replace("strict: true", "strict: maybe").replace("anchors: warn", "anchors: loud"))
    assert refused(project, {"mkdocs.yml": base}) == [
        f"mkdocs.yml:{line_of(base, 'use_directory_urls')}: use_directory_urls: true would move every page into a "
        "folder of its own, and the links policypress writes name pages by their .html address — write "
        "use_directory_urls: false",
        f"mkdocs.yml:{line_of(base, 'strict:')}: strict should be true or false — write strict: true",
        f"mkdocs.yml:{line_of(base, 'anchors:')}: validation anchors should be warn, info or ignore — write "
        "anchors: warn"]
    without = MKDOCS.replace("use_directory_urls: false\n", "")
    assert [str(p) for p in config_of(add_files(project, {"mkdocs.yml": without}))] == [
        "mkdocs.yml:3: mkdocs.yml does not say use_directory_urls: false, and MkDocs would move every page into a "
        "folder of its own, so the links policypress writes (.html addresses) would not work — add the line "
        "use_directory_urls: false"]


# Logos --------------------------------------------------------------------------------------------


def with_logo(name: str, content: str | bytes) -> dict[str, str | bytes]:
    return {TRUST_FILE: TRUST + f"branding:\n  logo: {name}\n", f"schools/test-trust/{name}": content}


SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">\n'
LOGO = "schools/test-trust/logo.svg"


@pytest.mark.parametrize(("body", "what"), [
    ('<script>alert(1)</script>\n', "the logo has a <script> element, and a logo must not run anything"),
    ('<rect width="10" height="10" onload="alert(1)"/>\n',
     "the logo's <rect> has an event handler onload=, which runs a script"),
    ('<image href="https://tracker.example.com/p.png" width="1" height="1"/>\n',
     "the logo's <image> href= points to 'https://tracker.example.com/p.png', outside the picture"),
    ('<use xlink:href="https://example.com/sprite.svg#a"/>\n',
     "the logo's <use> href= points to 'https://example.com/sprite.svg#a', outside the picture"),
    ('<foreignObject width="10" height="10"><p xmlns="http://www.w3.org/1999/xhtml">hi</p></foreignObject>\n',
     "the logo has a <foreignObject> element (HTML inside the picture), which can run or load anything"),
    ('<a href="javascript:alert(1)"><rect width="10" height="10"/></a>\n',
     "the logo's <a> href= points to 'javascript:alert(1)', outside the picture"),
    ('<a href="#top"><set attributeName="href" to="javascript:alert(1)"/></a>\n',
     "the logo's <set> changes href= while it is shown, which can make it a script or load something"),
    ('<iframe xmlns="http://www.w3.org/1999/xhtml" src="#x"/>\n',
     "the logo has an HTML <iframe> element, which can run or load anything"),
    ('<style>rect { fill: url(https://example.com/f.svg#g) }</style>\n',
     "the logo's <style> loads url(https://example.com/f.svg#g), outside the picture"),
    ('<rect style="background: url(//example.com/x.png)"/>\n',
     "the logo's <rect> style= loads url(//example.com/x.png), outside the picture"),
])
def test_a_hostile_svg_logo_is_refused_at_its_line(project: Path, body: str, what: str) -> None:
    svg = SVG_HEAD + body + "</svg>\n"
    assert refused(project, with_logo("logo.svg", svg)) == [f"{LOGO}:2: {what} — {SVG_FIX}"]


def test_an_svg_logo_with_a_doctype_and_entities_is_refused(project: Path) -> None:
    svg = ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
           + SVG_HEAD + "<text>&x;</text></svg>\n")
    assert refused(project, with_logo("logo.svg", svg)) == [
        f"{LOGO}:2: the logo has a DOCTYPE, whose entities can pull other files into the picture — remove the "
        "<!DOCTYPE …> line (SVG needs none)"]


def test_a_logo_that_is_not_what_its_name_says_is_refused(project: Path) -> None:
    assert refused(project, with_logo("logo.png", SVG_HEAD + "<script>alert(1)</script></svg>")) == [
        f"{TRUST_FILE}:{LOGO_LINE}: the logo 'logo.png' is not a PNG picture inside — save it again as PNG"]


def test_a_gif_logo_is_refused(project: Path) -> None:
    assert refused(project, with_logo("logo.gif", b"GIF89a")) == [
        f"{TRUST_FILE}:{LOGO_LINE}: the logo 'logo.gif' is not a PNG, JPEG or SVG file — save the logo as .png, "
        ".jpg or .svg"]


def test_a_plain_svg_logo_is_published_as_it_is(project: Path) -> None:
    svg = (SVG_HEAD + '<defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>\n'
           '<rect width="10" height="10" fill="url(#g)"/><use xlink:href="#g"/></svg>\n')
    site = built(project, with_logo("logo.svg", svg))
    assert (site / "alpha" / "assets" / "logo.svg").read_text(encoding="utf-8") == svg


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\x1f\x4e\x79"))
            + chunk(b"IEND", b""))


def test_a_png_logo_is_published_as_it_is(project: Path) -> None:
    site = built(project, with_logo("logo.png", png_bytes()))
    assert (site / "alpha" / "assets" / "logo.png").read_bytes() == png_bytes()


def test_a_jpeg_logo_is_published_as_it_is_and_goes_into_the_pdf(project: Path) -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (31, 78, 121)).save(out, "JPEG")
    site = built(project, with_logo("logo.jpg", out.getvalue()), "--school", "alpha")
    assert (site / "alpha" / "assets" / "logo.jpg").read_bytes() == out.getvalue()
    assert (site / "alpha" / "pdf" / "safeguarding.pdf").stat().st_size > 0


# Approvals written by hand -----------------------------------------------------------------------

FUTURE = ("the approval date 1 December 2026 is in the future (today is 22 November 2026) — write the date of "
          "the meeting that made the decision: an approval is recorded on or after that day")


def wrong_body(body: str) -> str:
    return (f"{body} may not approve the \"Safeguarding policy\": its front matter says it is approved by the full "
            f"governing body (approver: full_governing_body) — write by: full_governing_body if the full governing "
            f"body made the decision; if not, the policy is not approved yet: remove this approval until the full "
            f"governing body approves it")


def test_a_future_approval_in_a_school_file_is_refused(project: Path) -> None:
    school = SCHOOL + '      - {date: 2026-12-01, by: full_governing_body, version: "3.0"}\n'
    assert refused(project, {ALPHA: school}) == [f"{ALPHA}:27: {FUTURE}"]


def test_a_future_approval_in_trust_yml_is_refused(project: Path) -> None:
    trust = TRUST + '    approvals:\n      - {date: 2026-12-01, by: full_governing_body, version: "4.0"}\n'
    assert refused(project, {TRUST_FILE: trust}) == [f"{TRUST_FILE}:12: {FUTURE}"]


def approval_file(date: str, by: str, version: str) -> dict[str, str | bytes]:
    return {f"approvals/alpha/safeguarding/{date}-v{version}.md":
            f"---\ndate: {date}\nby: {by}\nversion: \"{version}\"\n---\nEveryone helps keep children safe.\n"}


def test_a_future_approval_in_the_approvals_folder_is_refused(project: Path) -> None:
    assert refused(project, approval_file("2026-12-01", "full_governing_body", "3.0")) == [
        f"approvals/alpha/safeguarding/2026-12-01-v3.0.md:2: {FUTURE}"]


def test_an_approval_dated_today_is_taken(project: Path) -> None:
    site = built(project, approval_file("2026-11-22", "full_governing_body", "3.0"))
    assert "22 November 2026" in (site / "alpha" / "policies" / "safeguarding.html").read_text(encoding="utf-8")


def test_a_hand_written_approval_by_the_wrong_body_is_refused_wherever_it_is(project: Path) -> None:
    school = SCHOOL + '      - {date: 2026-10-01, by: headteacher, version: "3.0"}\n'
    trust = TRUST + '    approvals:\n      - {date: 2026-10-02, by: headteacher, version: "4.0"}\n'
    files = {ALPHA: school, TRUST_FILE: trust, **approval_file("2026-10-03", "individual_governor", "5.0")}
    assert refused(project, files) == [
        f"approvals/alpha/safeguarding/2026-10-03-v5.0.md:3: {wrong_body('a governor')}",
        f"{ALPHA}:27: {wrong_body('the headteacher')}",
        f"{TRUST_FILE}:12: {wrong_body('the headteacher')}"]


# HTML links in policy text -------------------------------------------------------------------------


def with_links(*sentences: str) -> dict[str, str | bytes]:
    return {SAFEGUARDING: POLICY + "\n## Related policies {#related}\n\n" + "\n".join(sentences) + "\n"}


def test_html_links_that_work_are_published(project: Path) -> None:
    site = built(project, with_links('See <a href="#what-to-do">what to do</a>, <a href="#training">training</a>,',
                                     '<a href="../contacts.html">contacts</a> and <a href="safeguarding.html#related">'
                                     'this list</a>.'))
    page = (site / "alpha" / "policies" / "safeguarding.html").read_text(encoding="utf-8")
    assert '<a href="#what-to-do">what to do</a>' in page and '<a href="../contacts.html">' in page


def test_a_broken_html_anchor_gets_the_markdown_links_message(project: Path) -> None:
    lines = refused(project, with_links('Read <a href="#aims">our aims</a>.'))
    assert len(lines) == 1
    assert lines[0].startswith(
        f"{SAFEGUARDING}:{LINKS_FROM}: the link '#aims' goes to a section 'aims' that the page 'Safeguarding policy' "
        "does not have — Its sections are: ")
    assert refused(project, with_links("Read [our aims](#aims).")) == lines  # the same as a Markdown link's


def test_html_links_to_missing_pages_and_md_addresses_and_images(project: Path) -> None:
    assert refused(project, with_links('See <a href="../contacts.md">contacts</a>,', '<a href="../nowhere.html">x</a>,',
                                       '<img src="../assets/none.png" alt="a picture">.')) == [
        f"{SAFEGUARDING}:{LINKS_FROM}: the HTML link '../contacts.md' is published as written, and the site has no "
        "'.md' pages — write '../contacts.html', or use a Markdown link: [words](../contacts.md)",
        f"{SAFEGUARDING}:{LINKS_FROM + 1}: the link '../nowhere.html' goes to 'nowhere.md', which is not a page of "
        "the site of Alpha Primary School — link to a page of the site: ../index.md, ../contacts.md, "
        "../accessibility.md or a policy's id.md",
        f"{SAFEGUARDING}:{LINKS_FROM + 2}: the image '../assets/none.png' is not a file of the site — to show a "
        "picture of the school's own: put the picture in content/images/ (or the trust's or school's images/ "
        "folder), declare its alt text in that folder's images.yml and show it with ![](images/<file>) or "
        '{{ picture("<name>") }}']


# All together ---------------------------------------------------------------------------------------


def test_mkdocs_yml_problems_are_reported_with_the_other_source_problems(project: Path) -> None:
    line = len(MKDOCS.splitlines()) + 1
    school = SCHOOL + '      - {date: 2026-12-01, by: full_governing_body, version: "3.0"}\n'
    files = {**mkdocs_with("hooks: [evil.py]\n"), ALPHA: school,
             **with_logo("logo.svg", SVG_HEAD + "<script>alert(1)</script></svg>\n")}
    assert refused(project, files) == [
        f"mkdocs.yml:{line}: mkdocs.yml sets hooks: hooks run any Python code during the build — remove hooks:; "
        "policypress builds the site, and mkdocs.yml only sets the look",
        f"{ALPHA}:27: {FUTURE}",
        f"{LOGO}:2: the logo has a <script> element, and a logo must not run anything — {SVG_FIX}"]


def test_a_mkdocs_yml_linked_from_outside_the_project_is_not_read(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yml"
    outside.write_text(MKDOCS + "hooks: [steal.py]\n", encoding="utf-8")
    (project / "mkdocs.yml").unlink()
    (project / "mkdocs.yml").symlink_to(outside)
    result = run(project, "build", "--no-pdf")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "mkdocs.yml:1: this file points outside the source tree — replace the link with a real file inside " \
           "the project" in result.stderr
