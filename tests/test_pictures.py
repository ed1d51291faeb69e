"""Pictures of the school's own: declared once with their alt text, checked, published and embedded.

Each input error is reported at its line, all of them in one run (exit 2); a picture reaches the
site (at most 1600 pixels wide, without metadata) and the PDF (full size) from the same source
file; a browser shows it with its alt text, and axe finds nothing wrong with the page.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pikepdf
from PIL import Image
from playwright.sync_api import Browser

from browser import axe_violations, serve_folder
from conftest import POLICY
from policypress.compose.load import load_project
from policypress.compose.render import RenderedSchool, render_project
from policypress.outputs.pdf import print_environment, print_html
from policypress.outputs.pictures import _saved, print_version, web_version
from tree_tools import add_files, run

SHARED = "content/images"
POLICY_FILE = "content/policies/safeguarding.md"
DIAGRAM = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60">'
           '<rect width="120" height="60" fill="#1f4e79"/></svg>\n')
HOSTILE = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">\n'
           '<image href="https://tracker.example.com/p.png"/>\n</svg>\n')


def png(width: int, height: int, colour: str = "#3a7d44", exif: bool = False) -> bytes:
    """A PNG drawn here: a block of colour with a stripe, so that resizing shows."""
    image = Image.new("RGB", (width, height), colour)
    image.paste("#f2c14e", (0, height // 3, width, 2 * height // 3))
    out = io.BytesIO()
    extra = {}
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "Example camera"  # Make
        tags[0x0132] = "2026:06:01 09:00:00"  # DateTime
        extra["exif"] = tags.tobytes()
    image.save(out, "PNG", **extra)
    return out.getvalue()


def with_pictures(make_project: Callable[..., Path], pictures: dict[str, str | bytes], body: str) -> Path:
    """The minimal project, with files added (text or bytes) and body added to the policy."""
    return add_files(make_project({POLICY_FILE: POLICY + "\n" + body + "\n"}), pictures)


def rendered(root: Path) -> RenderedSchool:
    return render_project(load_project(root))[0]


def problems_of(root: Path) -> list[str]:
    result = run(root, "build", "--no-pdf")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "build" / "site").exists()
    return result.stderr.splitlines()[:-1]


def policy_line(root: Path, needle: str) -> int:
    lines = (root / POLICY_FILE).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


def test_every_picture_problem_is_an_input_error_at_its_line_in_one_run(make_project: Callable[..., Path]) -> None:
    declarations = """\
        pictures:
          no-words.png: {}
          gone.svg:
            alt: A picture that is not there
          hostile.svg:
            alt: A square
          huge.png:
            alt: A very wide stripe
          heavy.png:
            alt: A picture too heavy for the web
          both.svg:
            alt: Words
            decorative: true
        """
    root = with_pictures(make_project, {
        f"{SHARED}/images.yml": declarations, f"{SHARED}/no-words.png": png(20, 10),
        f"{SHARED}/hostile.svg": HOSTILE, f"{SHARED}/huge.png": png(5001, 4),
        f"{SHARED}/heavy.png": png(20, 10) + b"\0" * (2 * 1024 * 1024), f"{SHARED}/both.svg": DIAGRAM,
        f"{SHARED}/stray.png": png(20, 10),
    }, "See ![](images/missing.png) here.")
    found = problems_of(root)
    yml = f"{SHARED}/images.yml"
    assert f"{yml}:2: the picture 'no-words.png' has no alt text — add 'alt: <what the picture shows, in a " \
           "sentence>', or 'decorative: true' if it only decorates (screen readers then skip it)" in found
    assert any(line.startswith(f"{yml}:3: there is no file 'gone.svg' in {SHARED}") for line in found)
    assert f"{SHARED}/hostile.svg:2: the picture's <image> href= points to 'https://tracker.example.com/p.png', " \
           "outside the picture — remove it (save the picture again as a plain SVG, or as a PNG)" in found
    assert any(line.startswith(f"{SHARED}/huge.png:1: this picture is 5001 × 4 pixels, more than the 5000")
               for line in found)
    assert any(line.startswith(f"{SHARED}/heavy.png:1: this picture is 2.0 MB, more than the 2 MB") for line in found)
    assert any(line.startswith(f"{yml}:11: the picture 'both.svg' is declared decorative and also has alt text")
               for line in found)
    assert any(line.startswith(f"{SHARED}/stray.png:1: the picture 'stray.png' is not declared in images.yml")
               for line in found)
    missing = policy_line(root, "missing.png")
    assert any(line.startswith(f"{POLICY_FILE}:{missing}: there is no picture 'missing.png' in "
                               "schools/test-trust/alpha/images/, schools/test-trust/images/ or content/images/")
               for line in found)
    assert len(found) == 8, found


def test_a_picture_the_helper_names_must_be_there(make_project: Callable[..., Path]) -> None:
    root = with_pictures(make_project, {f"{SHARED}/images.yml": "pictures:\n  plan.svg:\n    alt: A plan\n",
                                        f"{SHARED}/plan.svg": DIAGRAM}, '{{ picture("plans") }}')
    line = policy_line(root, "plans")
    assert problems_of(root) == [
        f"{POLICY_FILE}:{line}: there is no picture 'plans' in schools/test-trust/alpha/images/, "
        "schools/test-trust/images/ or content/images/ — did you mean 'plan.svg'? Otherwise put the file in one "
        "of them and declare it in its images.yml (see the README, 'Pictures')"]


def test_alt_text_is_declared_once_and_a_decorative_picture_has_none(make_project: Callable[..., Path]) -> None:
    root = with_pictures(make_project, {
        f"{SHARED}/images.yml": """\
            pictures:
              plan.svg:
                alt: A blue rectangle standing for the plan & its <steps>
                caption: Our plan
                credit: Drawn by Year 4
              border.png:
                decorative: true
            """,
        f"{SHARED}/plan.svg": DIAGRAM, f"{SHARED}/border.png": png(40, 4),
    }, '![](images/plan.svg)\n\n![A plan in our own words](images/plan.svg)\n\n![](images/border.png)\n\n'
       '{{ picture("plan") }}')
    text = rendered(root).policies[0].markdown
    assert r"![A blue rectangle standing for the plan &amp; its &lt;steps&gt;](../images/plan.svg)" in text
    assert "![A plan in our own words](../images/plan.svg)" in text
    assert "![](../images/border.png)" in text
    assert ('<figure class="picture">\n<img src="../images/plan.svg" alt="A blue rectangle standing for the '
            'plan &amp; its &lt;steps&gt;">\n<figcaption>Our plan (Drawn by Year 4)</figcaption>\n</figure>') in text


def test_a_school_picture_comes_before_the_trusts_and_the_shared_one(make_project: Callable[..., Path]) -> None:
    def folder(level: str, colour: str) -> dict[str, str | bytes]:
        return {f"{level}/images.yml": f"pictures:\n  sign.png:\n    alt: The {colour} sign\n",
                f"{level}/sign.png": png(8, 8, colour)}

    layers = {**folder(SHARED, "green"), **folder("schools/test-trust/images", "red")}
    root = with_pictures(make_project, layers, "![](images/sign.png)")
    assert "![The red sign](../images/sign.png)" in rendered(root).policies[0].markdown
    (root / "schools/test-trust/alpha/images").mkdir(parents=True)
    for rel, content in folder("schools/test-trust/alpha/images", "blue").items():
        (root / rel).write_bytes(content if isinstance(content, bytes) else content.encode())
    assert "![The blue sign](../images/sign.png)" in rendered(root).policies[0].markdown


def test_site_and_pdf_show_the_same_source_picture(make_project: Callable[..., Path], tmp_path: Path) -> None:
    small, wide = png(300, 200, exif=True), png(2000, 900)
    root = with_pictures(make_project, {
        f"{SHARED}/images.yml": "pictures:\n  small.png:\n    alt: A small stripe\n"
                                "  wide.png:\n    alt: A wide stripe\n  plan.svg:\n    alt: A plan\n",
        f"{SHARED}/small.png": small, f"{SHARED}/wide.png": wide, f"{SHARED}/plan.svg": DIAGRAM,
    }, "![](images/small.png)\n\n![](images/wide.png)\n\n![](images/plan.svg)")
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    site = root / "build" / "site" / "alpha"
    # The SVG as it is; a PNG without its metadata; a wide one 1600 pixels wide on the site.
    assert (site / "images/plan.svg").read_bytes() == DIAGRAM.encode()
    site_small = Image.open(site / "images/small.png")
    assert site_small.size == (300, 200) and not site_small.getexif() and "exif" not in site_small.info
    assert site_small.convert("RGB").tobytes() == Image.open(io.BytesIO(small)).convert("RGB").tobytes()
    assert Image.open(site / "images/wide.png").size == (1600, 720)
    # The PDF embeds the same pictures: the small one pixel for pixel, the wide one at its full size.
    with pikepdf.open(site / "pdf/safeguarding.pdf") as pdf:
        found = {image.objgen: image for page in pdf.pages for image in page.get_images().values()}
        embedded = sorted((pikepdf.PdfImage(cast(pikepdf.Stream, image)).as_pil_image().convert("RGB")
                           for image in found.values()),
                          key=lambda image: image.width)
    assert [image.size for image in embedded] == [(300, 200), (2000, 900)]
    assert embedded[0].tobytes() == site_small.convert("RGB").tobytes()
    assert embedded[1].tobytes() == Image.open(io.BytesIO(wide)).convert("RGB").tobytes()
    # The print document carries the SVG's own bytes.
    school = rendered(root)
    html = print_html(print_environment(root / "templates"), school, school.policies[0], "https://x.example.org/p",
                      draft=False)
    assert base64.b64encode(DIAGRAM.encode()).decode() in html
    assert "../images/" not in html


def test_web_and_print_versions_are_the_same_bytes_on_every_build(make_project: Callable[..., Path]) -> None:
    root = with_pictures(make_project, {
        f"{SHARED}/images.yml": "pictures:\n  photo.png:\n    alt: A stripe\n",
        f"{SHARED}/photo.png": png(640, 480, exif=True),
    }, "![](images/photo.png)")
    first, second = rendered(root).pictures["photo.png"], rendered(root).pictures["photo.png"]
    saved = web_version(first)
    _saved.cache_clear()  # saved again, not remembered
    assert web_version(second) == saved == print_version(first)  # no wider than 1600 px: one version
    assert web_version(first) != first.data  # saved again, without the metadata


def test_an_image_from_another_website_is_still_a_build_error(make_project: Callable[..., Path]) -> None:
    root = with_pictures(make_project, {}, "![A chart](https://charts.example.com/chart.png)")
    found = problems_of(root)
    line = policy_line(root, "charts.example.com")
    assert len(found) == 1
    assert found[0].startswith(f"{POLICY_FILE}:{line}: the image 'https://charts.example.com/chart.png' is loaded "
                               "from another website")
    assert "content/images/" in found[0]


def test_a_browser_shows_the_picture_with_its_alt_text(make_project: Callable[..., Path], browser: Browser) -> None:
    root = with_pictures(make_project, {
        "schools/test-trust/alpha/images/images.yml": "pictures:\n  corner.png:\n"
                                                     "    alt: Our calm corner, with a green rug\n",
        "schools/test-trust/alpha/images/corner.png": png(400, 250),
        f"{SHARED}/images.yml": "pictures:\n  plan.svg:\n    alt: A blue plan\n    caption: The plan\n",
        f"{SHARED}/plan.svg": DIAGRAM,
    }, '![](images/corner.png)\n\n{{ picture("plan") }}')
    assert run(root, "build", "--no-pdf").returncode == 0
    with serve_folder(root / "build" / "site") as base:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{base}/alpha/policies/safeguarding.html", wait_until="networkidle")
        corner = page.get_by_role("img", name="Our calm corner, with a green rug")
        plan = page.get_by_role("img", name="A blue plan")
        assert corner.evaluate("img => img.complete && img.naturalWidth") == 400
        assert plan.evaluate("img => img.complete && img.naturalWidth") == 120
        assert corner.bounding_box()["width"] <= 390  # type: ignore[index]
        assert page.get_by_role("figure").filter(has_text="The plan").count() == 1
        assert axe_violations(page) == []
        page.close()


def test_the_trusts_and_schools_folders_follow_the_example(tmp_path: Path) -> None:
    """The example's own pictures load and show: the shared diagram and Brookside's picture."""
    from tree_tools import copy_example

    root = copy_example(tmp_path / "example")
    schools = {school.school.id: school for school in render_project(load_project(root))}
    assert set(schools["brookside-infant"].pictures) == {"graduated-response.svg", "calm-corner.png"}
    assert set(schools["hillcrest-primary"].pictures) == {"graduated-response.svg"}


def test_the_governors_pack_carries_the_picture_inside(make_project: Callable[..., Path]) -> None:
    root = with_pictures(make_project, {
        f"{SHARED}/images.yml": "pictures:\n  sign.png:\n    alt: A sign\n", f"{SHARED}/sign.png": png(300, 200),
    }, "![](images/sign.png)")
    school = root / "schools/test-trust/alpha.yml"  # a draft: the pack has its full text
    school.write_text(school.read_text(encoding="utf-8").split("policies:")[0] + "policies:\n  safeguarding: {}\n",
                      encoding="utf-8")
    result = run(root, "pack", "--school", "alpha", "--meeting", "2026-11-25")
    assert result.returncode == 0, result.stderr
    with pikepdf.open(next((root / "build" / "governors" / "alpha").glob("*.pdf"))) as pdf:
        images = {image.objgen: image for page in pdf.pages for image in page.get_images().values()}
        assert [pikepdf.PdfImage(cast(pikepdf.Stream, image)).as_pil_image().size
                for image in images.values()] == [(300, 200)]
