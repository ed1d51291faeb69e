"""What schools must publish online, and the words the current guidance no longer uses.

`content/publishing.yml` lists the publishing requirements by kind of school; `content/terms.yml`
lists old terms with their replacements. Both are read like every other source file.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from policypress.source.schema_types import ApprovalDate, Id, Phase, ReviewCycle, Strict, Text

SchoolKind = Literal["maintained", "academy", "free_school"]
"""How a school is run: maintained by its local authority, an academy, or a free school."""
KINDS: tuple[SchoolKind, ...] = ("maintained", "academy", "free_school")


class AppliesTo(Strict):
    """Which schools of the named kinds a requirement applies to (left out: all of them)."""

    phases: list[Phase] = []
    """Only schools of these phases, e.g. [secondary, all-through]."""
    not_phases: list[Phase] = []
    """Not schools of these phases, e.g. [special, alternative-provision]."""
    nursery: bool | None = None
    """true: only schools with a nursery class."""
    sixth_form: bool | None = None
    """true: only schools with a sixth form."""


class Requirement(Strict):
    """One document a school must or should publish on its website."""

    what: Text
    """What is published, as parents and inspectors call it, e.g. 'Behaviour policy'."""
    must: list[SchoolKind] = []
    """Kinds of school that must publish it: maintained, academy, free_school."""
    should: list[SchoolKind] = []
    """Kinds of school that should publish it (guidance, not law)."""
    only: AppliesTo = AppliesTo()
    """Narrows it to some phases, or to schools with a nursery or a sixth form."""
    on_this_site: Literal["contacts", "accessibility"] | None = None
    """Met by a page every school's site has: its contacts page, or its accessibility statement."""
    update_every: ReviewCycle | None = None
    """How often it must be brought up to date (annually, every_4_years, 'N months'); left out: when it changes."""
    when: Text | None = None
    """A date in the year it is due by, in words, e.g. 'by 15 March each year'."""
    basis: Text
    """The legal basis in words, e.g. 'School Information (England) Regulations 2008, Schedule 4'."""
    registry: Id
    """The registry entry (content/statutory.yml) of the law or guidance that asks for it."""
    unsure: Text | None = None
    """What the reference could not confirm; a finding about it is never reported as certain."""

    @model_validator(mode="after")
    def _someone_publishes_it(self) -> Requirement:
        if not self.must and not self.should:
            raise ValueError("say which kinds of school publish it — add 'must: [maintained, academy, free_school]' "
                             "or 'should: […]'")
        both = sorted(set(self.must) & set(self.should))
        if both:
            raise ValueError(f"{', '.join(both)} is listed under both must and should — keep it under one")
        return self


class Requirements(Strict):
    """content/publishing.yml: what each kind of school must or should publish online."""

    requirements: dict[Id, Requirement] = Field(min_length=1)
    """Requirements by id; a policy's `meets:` and a school's `published_elsewhere:` name them."""


class OldTerm(Strict):
    """Words the current guidance no longer uses, and what it says instead."""

    words: list[Text] = Field(min_length=1)
    """The old wordings, e.g. ['peer on peer abuse']; spaces and hyphens between words are interchangeable."""
    use: Text
    """The words to use instead, e.g. 'child-on-child abuse'."""
    changed_by: Id
    """The registry entry of the guidance or Act that made the change."""
    since: ApprovalDate
    """Since when, as YYYY-MM-DD or YYYY-MM."""
    unsure: Text | None = None
    """What the reference could not confirm; its findings are warnings, never certain."""


class Terms(Strict):
    """content/terms.yml: words the current guidance has dropped."""

    terms: dict[Id, OldTerm] = {}
    """Old terms by id."""
