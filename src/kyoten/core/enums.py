from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of SPEC §1. A user has one primary role."""

    OFFICER = "officer", _("Program officer")
    APPLICANT = "applicant", _("Applicant (prefecture)")
    SIGNATORY = "signatory", _("Signatory")
    REVIEWER = "reviewer", _("Reviewer")
    CHAIR = "chair", _("Review chair")
    COMMITTEE = "committee", _("Promotion committee member")
    OPERATOR = "operator", _("Hub operator")
    EQUIPMENT_USER = "equipment_user", _("Equipment user")
    OBSERVER = "observer", _("Ministry observer")
    PUBLIC = "public", _("Public")


class OrganisationKind(models.TextChoices):
    PREFECTURE = "prefecture", _("Prefectural government")
    UNIVERSITY = "university", _("University")
    COLLEGE = "college", _("College")
    KOSEN = "kosen", _("National institute of technology (KOSEN)")
    COMPANY = "company", _("Company")
    RESEARCH_INSTITUTE = "research_institute", _("Public research institute")
    MINISTRY = "ministry", _("Ministry")
    FUNDING_AGENCY = "funding_agency", _("Funding agency")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    """Industry, academia, government: the three sides of 産学官."""

    INDUSTRY = "industry", _("Industry")
    ACADEMIA = "academia", _("Academia")
    GOVERNMENT = "government", _("Government")


SECTOR_OF_KIND = {
    OrganisationKind.PREFECTURE: Sector.GOVERNMENT,
    OrganisationKind.MINISTRY: Sector.GOVERNMENT,
    OrganisationKind.FUNDING_AGENCY: Sector.GOVERNMENT,
    OrganisationKind.RESEARCH_INSTITUTE: Sector.GOVERNMENT,
    OrganisationKind.UNIVERSITY: Sector.ACADEMIA,
    OrganisationKind.COLLEGE: Sector.ACADEMIA,
    OrganisationKind.KOSEN: Sector.ACADEMIA,
    OrganisationKind.COMPANY: Sector.INDUSTRY,
    OrganisationKind.OTHER: Sector.INDUSTRY,
}
