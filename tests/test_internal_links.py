"""Internal links and #anchors in policy text are checked on every build, before anything is
written: a broken one names the line where it is written (policy file or overlay) and exit 2."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import POLICY, SCHOOL
from policypress.checks.internal_links import Link, find_links, internal_link_problems
from policypress.compose.load import load_project
from policypress.compose.render import render_project
from tree_tools import run, tree_digest

MakeProject = Callable[..., Path]
SAFEGUARDING = "content/policies/safeguarding.md"
ALPHA = "schools/test-trust/alpha.yml"

BEHAVIOUR = """\
---
title: Behaviour policy
summary: How we help children behave well.
category: Behaviour
statutory: true
approver: headteacher
review_cycle: annually
owner: headteacher
---
We expect everyone to be kind.

## Rewards {#rewards}

We praise good choices.

## Sanctions and support

We help children put things right.
"""
APPROVED_BEHAVIOUR = '  behaviour:\n    approvals:\n      - {date: 2026-09-10, by: headteacher, version: "1.0"}\n'


def with_links(*sentences: str) -> str:
    """The safeguarding policy with a last section (from line 27) holding one sentence a line."""
    return POLICY + "\n## Related policies {#related}\n\n" + "\n".join(sentences) + "\n"


def messages(root: Path) -> list[str]:
    project = load_project(root)
    return sorted(str(p) for p in internal_link_problems(project, render_project(project), pdf=True))


def project_with(make_project: MakeProject, *sentences: str, school: str = SCHOOL + APPROVED_BEHAVIOUR) -> Path:
    return make_project({SAFEGUARDING: with_links(*sentences), "content/policies/behaviour.md": BEHAVIOUR,
                         ALPHA: school})


def test_links_that_work_pass_here_and_in_mkdocs_strict_mode(make_project: MakeProject) -> None:
    root = project_with(
        make_project,
        "Read our [behaviour policy](behaviour.md), its [rewards](behaviour.md#rewards) and",
        "[sanctions](behaviour.md#sanctions-and-support) (an id made from the heading's words).",
        "See [what to do](#what-to-do), [document control](#document-control), the [title](#safeguarding-policy),",
        '[who to contact](../contacts.md), <a href="../index.html">all policies</a>, [PDF](../pdf/behaviour.pdf).',
    )
    assert messages(root) == []
    result = run(root, "build")  # MkDocs' strict mode agrees: every link resolves
    assert result.returncode == 0, result.stderr
    page = (root / "build/site/alpha/policies/safeguarding.html").read_text()
    assert 'href="behaviour.html#sanctions-and-support"' in page and 'href="../contacts.html"' in page
    assert (root / "build/site/alpha/index.html").is_file()  # where the HTML link, left as written, goes


def test_a_link_to_a_pdf_in_a_build_without_pdfs(make_project: MakeProject) -> None:
    root = project_with(make_project, "Print the [PDF](../pdf/behaviour.pdf).")
    result = run(root, "build", "--no-pdf")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        f"{SAFEGUARDING}:29: the link '../pdf/behaviour.pdf' goes to a PDF, and this build makes no PDFs "
        "(--no-pdf) — build without --no-pdf, or link to the policy's page instead")


def test_a_link_to_a_policy_the_school_does_not_publish(make_project: MakeProject) -> None:
    root = project_with(make_project, "Read our [uniform policy](uniform.md).")
    assert messages(root) == [
        f"{SAFEGUARDING}:29: the link 'uniform.md' goes to the policy 'uniform', which Alpha Primary School "
        "does not publish — remove the link, or write it in an overlay of only the schools that publish "
        "that policy"]


def test_a_link_to_a_draft_policy(make_project: MakeProject) -> None:
    draft = SCHOOL + "  behaviour: {}\n"
    root = project_with(make_project, "Read our [behaviour policy](behaviour.md#rewards).", school=draft)
    assert messages(root) == [
        f"{SAFEGUARDING}:29: the link 'behaviour.md#rewards' goes to the policy 'behaviour', which is not on "
        "the site of Alpha Primary School (it is not approved yet, or not public) — approve and publish "
        "that policy first, or remove the link"]


def test_a_link_to_a_missing_anchor(make_project: MakeProject) -> None:
    root = project_with(make_project, "", "See [rewards](behaviour.md#reward) and [training](#trainng).")
    assert messages(root) == [
        f"{SAFEGUARDING}:30: the link '#trainng' goes to a section 'trainng' that the page 'Safeguarding "
        "policy' does not have — did you mean '#training'? Its sections are: about-this-policy, document-control, "
        "early-years, related, safeguarding-policy, statutory-references, training, version-history, what-to-do",
        f"{SAFEGUARDING}:30: the link 'behaviour.md#reward' goes to a section 'reward' that the page "
        "'Behaviour policy' does not have — did you mean '#rewards'? Its sections are: about-this-policy, "
        "behaviour-policy, document-control, rewards, sanctions-and-support, version-history",
    ]


def test_links_written_from_the_wrong_folder_or_to_built_pages(make_project: MakeProject) -> None:
    root = project_with(make_project, "Ask [the office](contacts.md).", "Read [behaviour](behaviour.html).",
                        "See [nothing](../nowhere/page.md).")
    assert messages(root) == [
        f"{SAFEGUARDING}:29: the link 'contacts.md' goes to 'policies/contacts.md', which is not a page of the "
        "site of Alpha Primary School — did you mean '../contacts.md'? Links are written from the policy "
        "page, which is in the policies/ folder",
        f"{SAFEGUARDING}:30: the link 'behaviour.html' names the built page — write 'behaviour.md': the site "
        "turns it into the page's address",
        f"{SAFEGUARDING}:31: the link '../nowhere/page.md' goes to 'nowhere/page.md', which is not a page of "
        "the site of Alpha Primary School — link to a page of the site: ../index.md, ../contacts.md, "
        "../accessibility.md or a policy's id.md",
    ]


def test_html_links_are_published_as_written(make_project: MakeProject) -> None:
    root = project_with(make_project, '<a href="behaviour.md">rules</a> <a href="behaviour.html#reward">rewards</a>')
    assert messages(root) == [
        f"{SAFEGUARDING}:29: the HTML link 'behaviour.md' is published as written, and the site has no '.md' "
        "pages — write 'behaviour.html', or use a Markdown link: [words](behaviour.md)",
        f"{SAFEGUARDING}:29: the link 'behaviour.html#reward' goes to a section 'reward' that the page "
        "'Behaviour policy' does not have — did you mean '#rewards'? Its sections are: about-this-policy, "
        "behaviour-policy, document-control, rewards, sanctions-and-support, version-history",
    ]


def test_images_from_other_websites_and_missing_images(make_project: MakeProject) -> None:
    root = project_with(make_project, "![Our flowchart](https://cdn.example.org/flow.png)",
                        '<img src="//images.example.org/x.png" alt="A map">', "![A chart](chart.png)")
    fix = ("put the picture in content/images/ (or the trust's or school's images/ folder), declare its alt text in "
           "that folder's images.yml and show it with ![](images/<file>) or {{ picture(\"<name>\") }}")
    assert messages(root) == [
        f"{SAFEGUARDING}:29: the image 'https://cdn.example.org/flow.png' is loaded from another website "
        f"(cdn.example.org), and the site must not make any request to other websites — use a picture of the "
        f"school's own instead: {fix}",
        f"{SAFEGUARDING}:30: the image '//images.example.org/x.png' is loaded from another website "
        f"(images.example.org), and the site must not make any request to other websites — use a picture of the "
        f"school's own instead: {fix}",
        f"{SAFEGUARDING}:31: the image 'chart.png' is not a file of the site — to show a picture of the school's "
        f"own: {fix}",
    ]


def test_a_broken_link_in_a_school_overlay_names_the_overlay_line(make_project: MakeProject) -> None:
    overlay = ("    overlay:\n      sections:\n        - section: training\n          action: append\n"
               "          text: Read [our rules](rules.md#top).\n")
    root = make_project({ALPHA: SCHOOL + overlay})
    assert messages(root) == [
        f"{ALPHA}:31: the link 'rules.md#top' goes to the policy 'rules', which Alpha Primary School does not "
        "publish — remove the link, or write it in an overlay of only the schools that publish that policy"]


def test_a_broken_link_fails_the_build_before_anything_is_written(make_project: MakeProject) -> None:
    root = project_with(make_project, "Read our [behaviour policy](behaviour.md).")
    assert run(root, "build", "--no-pdf").returncode == 0
    before = tree_digest(root / "build")
    (root / SAFEGUARDING).write_text(with_links("Read our [behaviour policy](behavior.md)."))
    result = run(root, "build", "--no-pdf")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{SAFEGUARDING}:29: the link 'behavior.md' goes to the policy 'behavior', which Alpha Primary School "
        "does not publish — remove the link, or write it in an overlay of only the schools that publish "
        "that policy",
        "1 problem(s) found; nothing was written."]
    assert tree_digest(root / "build") == before


def test_links_are_found_outside_code_in_markdown_and_html() -> None:
    text = ('See [a](b.md#x), <a href="../c.md">c</a>, ![pic](https://x.example.org/a.png) and `[no](d.md)`.\n'
            "```\n[no](e.md)\n```\n[ref]: f.md\n")
    assert find_links(text) == [Link("b.md#x", "a", False), Link("../c.md", "", False, raw_html=True),
                                Link("https://x.example.org/a.png", "pic", True), Link("f.md", "", False)]


def test_the_example_has_no_broken_internal_links() -> None:
    from conftest import REPO

    project = load_project(REPO)
    assert internal_link_problems(project, render_project(project), pdf=True) == []
