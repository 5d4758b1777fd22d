"""A guide's steps grouped into its sections (routes), with the numbers readers see.

Steps are stored in one sequence (Step.position, which is also the walkthrough's address);
a section is the run of consecutive steps that point to it. Steps before the first section
belong to none. The number shown is the position, or the place in the section when the guide
restarts numbering in each section (Guide.numbering).

Nothing is read from the database until a group is asked for, so that a cached guide page
costs no query here; then the steps and the sections are read once each, however many.
"""

from dataclasses import dataclass, field
from functools import cached_property


@dataclass
class Group:
    """A run of steps: a section's, or the steps before the first section (section None)."""

    section: object
    steps: list = field(default_factory=list)

    @property
    def title(self):
        return self.section.title if self.section else ""

    @property
    def anchor(self):
        return self.section.anchor if self.section else ""

    @property
    def first_position(self):
        return self.steps[0].position

    @property
    def last_position(self):
        return self.steps[-1].position

    @property
    def first_number(self):
        return self.steps[0].number

    @property
    def last_number(self):
        return self.steps[-1].number

    def index_of(self, position):
        """1 for the group's first step."""
        return position - self.first_position + 1


class Outline:
    def __init__(self, guide, steps=None):
        self.guide = guide
        self._steps = steps  # a queryset or list of the guide's steps, in order; or all

    @property
    def steps(self):
        """Every step, in order, each with its .number."""
        self.groups  # noqa: B018 (numbers the steps)
        return self._all_steps

    @cached_property
    def _all_steps(self):
        return list(self.guide.steps.all() if self._steps is None else self._steps)

    @cached_property
    def groups(self):
        from .models import Guide

        sections = {section.pk: section for section in self.guide.sections.all()}
        per_section = self.guide.numbering == Guide.Numbering.PER_SECTION
        groups, seen = [], set()
        for step in self._all_steps:
            section = sections.get(step.section_id)
            if not groups or groups[-1].section is not section:
                if section is not None and section.pk in seen:
                    # Not contiguous (the admin refuses it): show it once, untitled after.
                    section = None
                if not groups or groups[-1].section is not section:
                    groups.append(Group(section))
                if section is not None:
                    seen.add(section.pk)
            group = groups[-1]
            group.steps.append(step)
            step.number = len(group.steps) if per_section else step.position
        return groups

    @property
    def routes(self):
        """The groups that are sections, for the table of contents."""
        return [group for group in self.groups if group.section is not None]

    @property
    def has_routes(self):
        """Whether the guide page shows a table of contents: two sections or more."""
        return len(self.routes) >= 2

    @property
    def sectioned(self):
        return bool(self.routes)

    def group_of(self, position):
        for group in self.groups:
            if group.first_position <= position <= group.last_position:
                return group
        return None

    def group_after(self, group):
        index = self.groups.index(group)
        return self.groups[index + 1] if index + 1 < len(self.groups) else None

    def number_of(self, position):
        group = self.group_of(position)
        return group.steps[group.index_of(position) - 1].number if group else position

    def is_route_end(self, position):
        group = self.group_of(position)
        return group is not None and position == group.last_position
