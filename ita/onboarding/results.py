"""Results out to a spreadsheet: one row per organisation and fiscal year, with its scores (export only).

Results come in through the ITAS import engine (ita.importers), never through this resource.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext
from import_export import fields

from ita.models import Assessment, Organization, Score
from ita.onboarding.base import ThaiResource

INDICATOR_NUMBERS = range(1, 11)
OWN_COLUMNS = (
    "organization_code",
    "organization_name",
    "province",
    "fiscal_year",
    "overall",
    "level",
    "official_overall",
    "official_level",
    "provisional",
)


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _score(kind: str, code: str):
    """A dehydrate method reading one score from the assessment's prefetched scores (None when it has none)."""

    def value(assessment: Assessment):
        for score in assessment.scores.all():
            if score.kind == kind and score.code == code:
                return score.value
        return None

    return value


class ResultColumns(ThaiResource):
    """The assessment's own columns; ResultResource adds one column per tool and per indicator."""

    organization_code = fields.Field(attribute="organization__code", column_name=_label(Organization, "code"))
    organization_name = fields.Field(attribute="organization__name", column_name=_label(Organization, "name"))
    province = fields.Field(attribute="organization__province", column_name=_label(Organization, "province"))
    provisional = fields.Field(column_name=_label(Assessment, "provisional"))

    class Meta:
        model = Assessment
        fields = OWN_COLUMNS

    def get_queryset(self):
        return Assessment.objects.order_by("organization__code", "fiscal_year")

    def export(self, queryset=None, **kwargs):
        queryset = self.get_queryset() if queryset is None else queryset
        scores = Score.objects.exclude(kind=Score.Kind.ITEM).only("assessment_id", "kind", "code", "value")
        queryset = queryset.select_related("organization").prefetch_related(Prefetch("scores", queryset=scores))
        return super().export(queryset, **kwargs)

    def dehydrate_provisional(self, assessment: Assessment) -> str:
        return gettext("ผลเบื้องต้น") if assessment.provisional else ""


def _score_columns() -> dict[str, fields.Field]:
    columns = {
        f"tool_{code}": fields.Field(column_name=code, dehydrate_method=_score(Score.Kind.TOOL, code), readonly=True)
        for code in Score.TOOL_CODES
    }
    for number in INDICATOR_NUMBERS:
        columns[f"indicator_{number}"] = fields.Field(
            column_name=gettext("ตัวชี้วัดที่ %(number)s") % {"number": number},
            dehydrate_method=_score(Score.Kind.INDICATOR, str(number)),
            readonly=True,
        )
    return columns


def _result_resource() -> type[ResultColumns]:
    # Fifteen score columns declared from the lists they follow, rather than written out one by one.
    columns = _score_columns()
    meta = type("Meta", (), {"model": Assessment, "name": "ผลการประเมิน", "fields": (*OWN_COLUMNS, *columns)})
    return type("ResultResource", (ResultColumns,), {"__module__": __name__, "Meta": meta, **columns})


ResultResource = _result_resource()
