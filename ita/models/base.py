"""Field helpers and choices shared by the ITA models."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def score_field(**kwargs) -> models.DecimalField:
    """A score: a Decimal with 2 places, 0–100 (the range is also a database constraint)."""
    kwargs.setdefault("max_digits", 5)
    kwargs.setdefault("decimal_places", 2)
    kwargs.setdefault("validators", SCORE_VALIDATORS)
    return models.DecimalField(**kwargs)


def score_range_check(field: str, name: str) -> models.CheckConstraint:
    in_range = Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": 100})
    return models.CheckConstraint(condition=Q(**{f"{field}__isnull": True}) | in_range, name=name)


class Tool(models.TextChoices):
    IIT = "IIT", "IIT"
    EIT = "EIT", "EIT"
    OIT = "OIT", "OIT"


@dataclass(frozen=True)
class AccessFacts:
    """What the policy needs to know about an object: its organisation and how far it is published.

    Every model the policy judges answers with its own `access_facts()`.
    """

    organization_id: int | None
    published: bool = False  # a published plan (and its parts): every auditor reads it
    public: bool = False  # a published document: everyone reads it, signed in or not


def user_field(label) -> models.ForeignKey:
    """Who did something: a user who may be deleted later (the row stays, the link becomes empty)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=label
    )
