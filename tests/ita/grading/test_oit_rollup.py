"""Indicator 10's roll-up as data: sub-indicator and item weights an administrator sets in the admin.

Khuan Sao Thong 2568 (FRAMEWORK.md §7): every OIT item 100 except O27 = 50, O26 not printed,
indicator 10 = 90.00. No grouping in the fixture explains it; the administrator's grouping below
(10.1 = O16–O24 weight 40, 10.2 = O25–O28 weight 60, O26 left out) does, and an even grouping warns.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.management import call_command
from django.urls import reverse

from ita.grading import rules
from ita.grading.assess import grade_assessment
from ita.models import AuditEvent, Framework, Item, Score, Source, SubIndicator, ValueSource
from tests.base import BaseTestCase
from tests.factory import make_assessment
from tests.ita.grading.test_rules import INDICATOR_TOOLS, PASS_LEVELS, WEIGHTS
from tests.ita.test_admin_scores import admin_form_data
from tests.ita.test_fixtures import FRAMEWORK_DIR

HUNDRED = Decimal("100")


def test_weights_of_sub_indicators_and_items_shape_an_oit_indicator():
    items = {
        "o1": rules.ItemInfo("o1", 9, "a"),
        "o2": rules.ItemInfo("o2", 9, "b"),
        "o3": rules.ItemInfo("o3", 9, "b", Decimal("3")),
        "o4": rules.ItemInfo("o4", 9, "b", Decimal("0")),
    }
    spec = rules.FrameworkSpec(
        fiscal_year=2568,
        weights=WEIGHTS,
        levels=tuple(PASS_LEVELS),
        indicator_tools=INDICATOR_TOOLS,
        items=items,
        sub_indicator_weights={"a": Decimal("1"), "b": Decimal("3")},
    )
    scores = {"o1": HUNDRED, "o2": Decimal("0"), "o3": HUNDRED}  # o4 weighs 0: not needed
    # b = (0 + 3·100) / 4 = 75; indicator = (1·100 + 3·75) / 4 = 81.25
    assert rules.rollup_indicator(spec, 9, scores) == Decimal("81.25")
    assert [info.code for info in spec.counted_items(9)] == ["o1", "o2", "o3"]
    assert rules.rollup_indicator(spec, 9, {"o1": HUNDRED, "o3": HUNDRED}) is None  # o2 counts and is missing


class KhuanSaoThong2568Tests(BaseTestCase):
    def setUp(self):
        call_command("loaddata", str(FRAMEWORK_DIR / "ita_2568.json"), verbosity=0)
        self.framework = Framework.objects.get(fiscal_year=2568)
        items = {(Score.Kind.ITEM, f"o{n}"): HUNDRED for n in range(1, 29) if n != 26}
        items[(Score.Kind.ITEM, "o27")] = Decimal("50")
        # The official document's indicator 10, and a second assessment where indicator 10 comes from the items.
        self.official = make_assessment(self.alpha, self.framework)
        self.official.set_scores(
            {**items, (Score.Kind.INDICATOR, "10"): Decimal("90.00")}, user=self.alice, source=ValueSource.FORM
        )
        self.derived = make_assessment(self.beta, self.framework)
        tools = {(Score.Kind.TOOL, "IIT"): Decimal("90"), (Score.Kind.TOOL, "EIT"): Decimal("90")}
        self.derived.set_scores(
            {**items, **tools, (Score.Kind.INDICATOR, "9"): HUNDRED}, user=self.charlie, source=ValueSource.FORM
        )
        indicator = self.framework.indicators.get(number=10)
        self.first = SubIndicator.objects.create(indicator=indicator, code="10.1", weight=Decimal("40"))
        self.second = SubIndicator.objects.create(indicator=indicator, code="10.2", weight=Decimal("60"))
        Item.objects.filter(framework=self.framework, code__in=[f"o{n}" for n in range(16, 25)]).update(
            sub_indicator=self.first
        )
        Item.objects.filter(framework=self.framework, code__in=["o25", "o26", "o27", "o28"]).update(
            sub_indicator=self.second
        )
        self.client.force_login(self.root)

    def post_change(self, model: str, obj, **changes):
        url = reverse(f"admin:ita_{model}_change", args=[obj.pk])
        data = {**admin_form_data(self.client.get(url)), **changes}
        response = self.client.post(url, data)
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context.get("errors")
        )

    def indicator_10_warnings(self, assessment):
        result = grade_assessment(assessment=assessment, save=False)
        return [w for w in result.warnings if w.startswith("ตัวชี้วัดที่ ๑๐")], result

    def test_the_administrators_grouping_reproduces_indicator_10_and_an_even_one_warns(self):
        warnings, result = self.indicator_10_warnings(self.derived)
        self.assertNotIn("indicator:10", result.derived)  # O26 counts and is missing: nothing to roll up yet

        self.post_change("item", Item.objects.get(framework=self.framework, code="o26"), weight="0")
        self.assertEqual(Item.objects.get(framework=self.framework, code="o26").weight, 0)
        warnings, result = self.indicator_10_warnings(self.official)
        self.assertEqual(warnings, [])  # 0.4 × 100 + 0.6 × (100 + 50 + 100) / 3 = 90.00
        _warnings, result = self.indicator_10_warnings(self.derived)
        self.assertEqual(result.indicators[10], Decimal("90.00"))

        for sub in (self.first, self.second):
            self.post_change("subindicator", sub, weight="1")
        warnings, _result = self.indicator_10_warnings(self.official)
        self.assertEqual(len(warnings), 1)
        self.assertIn("๙๐.๐๐", warnings[0])
        self.assertIn("๙๑.๖๗", warnings[0])

    def test_a_change_in_the_admin_regrades_the_frameworks_assessments_and_is_audited(self):
        self.post_change("item", Item.objects.get(framework=self.framework, code="o26"), weight="0")
        self.derived.refresh_from_db()
        # OIT (100 + 90) / 2 = 95; overall 0.3 × 90 + 0.3 × 90 + 0.4 × 95 = 92.00
        self.assertEqual(self.derived.overall, Decimal("92.00"))
        self.assertTrue(
            AuditEvent.objects.filter(object_type="ita.item", source=Source.ADMIN, action="update").exists()
        )

        self.post_change("subindicator", self.second, weight="1")
        self.post_change("subindicator", self.first, weight="1")
        self.derived.refresh_from_db()
        # indicator 10 = (100 + 83.33) / 2 = 91.67; OIT 95.83; overall 54 + 38.33 = 92.33
        self.assertEqual(self.derived.overall, Decimal("92.33"))
        self.assertEqual(
            AuditEvent.objects.filter(object_type="ita.subindicator", source=Source.ADMIN, action="update").count(), 2
        )
