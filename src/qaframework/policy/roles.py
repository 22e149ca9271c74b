"""Roles: the council's own job titles, mapped to generic roles, and the management chain.

Bolton has Strategic Leads, Manchester Service Leads and Social Work Consultants, Swindon
QAROs and Telford & Wrekin Service Delivery Managers. Each profile keeps the council's
titles (escalations name people as the council does) and maps each to a
:class:`GenericRole`, so that code and cross-council comparison can speak of "the team
manager" without knowing the council. ``reports_to`` gives the management chain escalations
climb.
"""

from __future__ import annotations

import enum

import attrs

from qaframework.policy.citations import Citation

__all__ = ["GenericRole", "Role"]


class GenericRole(enum.Enum):
    """Roles every council has in some form, from the front line up, then the groups."""

    PRACTITIONER = "practitioner"
    SENIOR_PRACTITIONER = "senior_practitioner"
    TEAM_MANAGER = "team_manager"
    SERVICE_LEAD = "service_lead"
    HEAD_OF_SERVICE = "head_of_service"
    ASSISTANT_DIRECTOR = "assistant_director"
    DIRECTOR = "director"
    CHIEF_EXECUTIVE = "chief_executive"
    ELECTED_MEMBER = "elected_member"
    QA_MANAGER = "qa_manager"
    QA_TEAM = "qa_team"
    PRINCIPAL_SOCIAL_WORKER = "principal_social_worker"
    PRACTICE_LEAD = "practice_lead"
    INDEPENDENT_REVIEWER = "independent_reviewer"
    PERFORMANCE_TEAM = "performance_team"
    LEARNING_AND_DEVELOPMENT = "learning_and_development"
    BUSINESS_SUPPORT = "business_support"
    LEADERSHIP_TEAM = "leadership_team"
    PRACTITIONER_GROUP = "practitioner_group"
    PARTNER_AGENCY = "partner_agency"
    CHILD_OR_FAMILY = "child_or_family"

    @property
    def label(self) -> str:
        """Human wording: ``team_manager`` reads "team manager"."""
        return self.value.replace("_", " ")


@attrs.frozen
class Role:
    """A role as the council titles it.

    ``abbreviations`` are the short forms the seed uses ("TM", "HoS"); ``reports_to`` is the
    id of the role above in the management chain, None at the top or outside the line
    (partner agencies, groups).
    """

    id: str
    title: str
    generic: GenericRole
    citation: Citation
    abbreviations: tuple[str, ...] = ()
    reports_to: str | None = None
    description: str | None = None
