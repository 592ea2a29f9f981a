"""The shared nouns of the ITA domain, one module per topic; every model of the ita app is here."""

from ita.models.accounts import LoginLockout
from ita.models.assessments import Assessment, AssessmentQuerySet, Score, ScoreRevision, ValueSource
from ita.models.audit import AuditEvent, Source, subject_of
from ita.models.base import SCORE_VALIDATORS, AccessFacts, Tool, score_field, score_range_check, user_field
from ita.models.files import StoredFile
from ita.models.frameworks import Framework, GradeLevel, Indicator, Item, ItemCrosswalk, SubIndicator
from ita.models.imports import ImportBatch, ImportJob
from ita.models.notifications import Delivery, NotificationPreference
from ita.models.oit import EvidenceChecklist, EvidenceEntry, LinkCheck
from ita.models.organizations import AuditorAssignment, Membership, Organization, OrganizationEmblem

__all__ = [
    "SCORE_VALIDATORS",
    "AccessFacts",
    "Assessment",
    "AssessmentQuerySet",
    "AuditEvent",
    "AuditorAssignment",
    "Delivery",
    "EvidenceChecklist",
    "EvidenceEntry",
    "Framework",
    "GradeLevel",
    "ImportBatch",
    "ImportJob",
    "Indicator",
    "Item",
    "ItemCrosswalk",
    "LinkCheck",
    "LoginLockout",
    "Membership",
    "NotificationPreference",
    "Organization",
    "OrganizationEmblem",
    "Score",
    "ScoreRevision",
    "Source",
    "StoredFile",
    "SubIndicator",
    "Tool",
    "ValueSource",
    "score_field",
    "score_range_check",
    "subject_of",
    "user_field",
]
