"""Web forms for the ITA core: adding a fiscal year and entering an assessment's scores."""

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ita.models import Assessment, Framework, Indicator, Item, Score
from ita.thai import ThaiValueError, format_number, format_score, parse_score, to_thai_digits

SCORE_INPUT_ATTRS = {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false", "class": "score-input"}

# Which tool-level scores each tool group shows, and how they are labelled (codes as in Score).
TOOL_FIELDS = {"IIT": ("IIT",), "EIT": ("EIT", "EIT1", "EIT2"), "OIT": ("OIT",)}
TOOL_LABELS = {
    "IIT": gettext_lazy("คะแนน IIT"),
    "EIT": gettext_lazy("คะแนน EIT (รวม)"),
    "EIT1": gettext_lazy("EIT ส่วนที่ ๑"),
    "EIT2": gettext_lazy("EIT ส่วนที่ ๒"),
    "OIT": gettext_lazy("คะแนน OIT"),
}
TOOL_TITLES = {
    "IIT": gettext_lazy("IIT แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน"),
    "EIT": gettext_lazy("EIT แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก"),
    "OIT": gettext_lazy("OIT แบบวัดการเปิดเผยข้อมูลสาธารณะ"),
}
STALE_MESSAGE = gettext_lazy(
    "ไม่ได้บันทึก: มีผู้อื่นแก้ไขคะแนนของการประเมินนี้หลังจากที่คุณเปิดหน้านี้ หน้านี้แสดงค่าล่าสุดที่บันทึกไว้แล้ว โปรดตรวจสอบและกรอกใหม่อีกครั้ง"
)


class ScoreField(forms.CharField):
    """A 0–100 score typed in Thai, Arabic or full-width digits; blank means "no value" (None)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("widget", forms.TextInput(attrs=dict(SCORE_INPUT_ATTRS)))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        # Stored values are shown as official documents print them: Thai digits, two places.
        return format_score(value) if isinstance(value, Decimal) else value

    def clean(self, value) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_score(text, places=2)
        except ThaiValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


MISSING_ITEM_TEXT = gettext_lazy("ยังไม่มีข้อความคำถามในกรอบการประเมิน")


def item_label(item: Item) -> str:
    """ "I3 ข้อความคำถาม", or the code and a Thai note when the framework has no text for the item yet."""
    return f"{item.code.upper()} {item.text.strip() or MISSING_ITEM_TEXT}"


def score_field_name(kind: str, code: str) -> str:
    return f"{kind}_{code}"


def year_label(fiscal_year: int) -> str:
    return _("ปีงบประมาณ พ.ศ. %(year)s") % {"year": format_number(fiscal_year)}


class AddYearForm(forms.Form):
    """Start an assessment for one more fiscal year of the user's own organisation."""

    fiscal_year = forms.TypedChoiceField(label=gettext_lazy("ปีงบประมาณ"), coerce=int)

    def __init__(self, *args, organization, existing_years: set[int] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        if existing_years is None:
            existing_years = set(organization.assessments.values_list("fiscal_year", flat=True))
        self.frameworks = {
            fw.fiscal_year: fw
            for fw in Framework.objects.filter(source=Framework.Source.NACC_ITAS).exclude(
                fiscal_year__in=existing_years
            )
        }
        self.fields["fiscal_year"].choices = [
            (year, year_label(year)) for year in sorted(self.frameworks, reverse=True)
        ]


@dataclass
class IndicatorGroup:
    indicator: Indicator
    field: forms.BoundField
    items: list[tuple[Item, forms.BoundField]] = field(default_factory=list)

    @property
    def items_have_errors(self) -> bool:
        return any(bound.errors for _item, bound in self.items)

    @property
    def items_summary(self) -> str:
        filled = sum(1 for _item, bound in self.items if bound.value() not in (None, ""))
        return _("คะแนนรายข้อ (กรอกแล้ว %(filled)s จาก %(total)s ข้อ)") % {
            "filled": format_number(filled),
            "total": format_number(len(self.items)),
        }


@dataclass
class ToolGroup:
    code: str
    title: str
    fields: list[forms.BoundField]
    indicators: list[IndicatorGroup]


class ScoreEntryForm(forms.Form):
    """Every score of one assessment, laid out as its framework defines tools, indicators and items."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    official_overall = ScoreField(label=gettext_lazy("คะแนนรวม (ทางการ)"))
    official_level = forms.ChoiceField(label=gettext_lazy("ระดับ (ทางการ)"), required=False)

    def __init__(self, *args, assessment: Assessment, read_only: bool = False, **kwargs) -> None:
        stored = assessment.score_values()
        initial = {score_field_name(kind, code): value for (kind, code), value in stored.items()}
        initial.update(
            version=assessment.version,
            official_overall=assessment.official_overall,
            official_level=assessment.official_level,
        )
        super().__init__(*args, initial=initial, **kwargs)
        self.assessment = assessment
        framework = assessment.framework
        self.indicators = list(framework.indicators.order_by("number"))
        self.items = list(framework.items.order_by("order", "code"))
        self.score_keys: dict[str, tuple[str, str]] = {}
        self._add_score_fields()
        self._set_level_choices(list(framework.levels.order_by("order").values_list("label", flat=True)))
        if read_only:
            for bound_field in self.fields.values():
                bound_field.disabled = True

    def _add_score_field(self, kind: str, code: str, label: str) -> None:
        name = score_field_name(kind, code)
        self.fields[name] = ScoreField(label=label)
        self.score_keys[name] = (kind, code)

    def _add_score_fields(self) -> None:
        for code in Score.TOOL_CODES:
            self._add_score_field(Score.Kind.TOOL, code, TOOL_LABELS[code])
        for indicator in self.indicators:
            label = _("ตัวชี้วัดที่ %(number)s %(name)s") % {
                "number": to_thai_digits(str(indicator.number)),
                "name": indicator.name,
            }
            self._add_score_field(Score.Kind.INDICATOR, str(indicator.number), label)
        for item in self.items:
            self._add_score_field(Score.Kind.ITEM, item.code, item_label(item))

    def _set_level_choices(self, labels: list[str]) -> None:
        current = self.assessment.official_level
        if current and current not in labels:
            labels.append(current)  # keep an imported label the framework does not list
        self.fields["official_level"].choices = [("", _("— ไม่ระบุ —"))] + [(label, label) for label in labels]

    def full_clean(self) -> None:
        super().full_clean()
        # Tie each message to its input so screen readers announce it with the field.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self.auto_id % name}-error"

    def groups(self) -> list[ToolGroup]:
        """Tool → indicators → items, with bound fields, for the template."""
        by_indicator: dict[int, IndicatorGroup] = {}
        tools: dict[str, ToolGroup] = {
            code: ToolGroup(code, TOOL_TITLES[code], [self[score_field_name("tool", c)] for c in codes], [])
            for code, codes in TOOL_FIELDS.items()
        }
        for indicator in self.indicators:
            group = IndicatorGroup(indicator, self[score_field_name("indicator", str(indicator.number))])
            by_indicator[indicator.pk] = group
            if indicator.tool in tools:
                tools[indicator.tool].indicators.append(group)
        for item in self.items:
            if item.indicator_id in by_indicator:
                by_indicator[item.indicator_id].items.append((item, self[score_field_name("item", item.code)]))
        return list(tools.values())

    def invalid_fields(self, groups: list[ToolGroup]) -> list[forms.BoundField]:
        """The visible fields with an error, in the order the page shows them (for the error summary)."""
        in_page_order = []
        for group in groups:
            in_page_order += group.fields
            for indicator in group.indicators:
                in_page_order.append(indicator.field)
                in_page_order += [bound for _item, bound in indicator.items]
        in_page_order += [self["official_overall"], self["official_level"]]
        return [bound for bound in in_page_order if bound.errors]

    def score_values(self) -> dict[tuple[str, str], Decimal | None]:
        return {key: self.cleaned_data.get(name) for name, key in self.score_keys.items()}
