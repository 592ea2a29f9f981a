from decimal import Decimal

from django import forms
from django.test import SimpleTestCase, TestCase
from hypothesis import given
from hypothesis import strategies as st

from ita.forms import AddYearForm, ScoreEntryForm, ScoreField
from ita.models import Score, ValueSource
from ita.thai import ThaiValueError, parse_score, to_thai_digits
from tests.base import BaseTestCase
from tests.factory import make_assessment, make_framework, make_organization

FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


class ScoreFieldTests(SimpleTestCase):
    def setUp(self):
        self.field = ScoreField()

    def test_thai_arabic_and_full_width_digits_mean_the_same(self):
        for text in ("๘๘.๙๕", "88.95", "８８．９５", " 88.95 ", "๘๘.๙๕๐"):
            with self.subTest(text=text):
                self.assertEqual(self.field.clean(text), Decimal("88.95"))

    def test_blank_means_no_value(self):
        self.assertIsNone(self.field.clean(""))
        self.assertIsNone(self.field.clean("   "))
        self.assertIsNone(self.field.clean(None))

    def test_rejections_carry_the_thai_message(self):
        cases = {"๑๐๕": "เกิน ๑๐๐", "85,5": "จุด", "-1": "ติดลบ", "88.955": "ทศนิยมเกิน", "abc": "ไม่ใช่ตัวเลข"}
        for text, fragment in cases.items():
            with self.subTest(text=text), self.assertRaises(forms.ValidationError) as caught:
                self.field.clean(text)
            self.assertIn(fragment, caught.exception.messages[0])

    def test_widget_asks_for_a_decimal_keyboard_and_shows_thai_digits(self):
        self.assertEqual(self.field.widget.attrs["inputmode"], "decimal")
        self.assertEqual(self.field.prepare_value(Decimal("88.9")), "๘๘.๙๐")
        self.assertEqual(self.field.prepare_value("88.9"), "88.9")  # what the user typed stays as typed
        self.assertIsNone(self.field.prepare_value(None))


class ScoreFieldPropertyTests(SimpleTestCase):
    @given(st.integers(min_value=0, max_value=10_000))
    def test_any_two_place_score_in_thai_digits_round_trips(self, hundredths):
        d = Decimal(hundredths).scaleb(-2)
        self.assertEqual(ScoreField().clean(to_thai_digits(str(d))), d)
        self.assertEqual(ScoreField().clean(str(d).translate(FULL_WIDTH)), d)

    @given(st.text(alphabet="0123456789๐๑๒๓๔๕๖๗๘๙０９.,-+ e%", max_size=8))
    def test_field_agrees_with_the_shared_parser(self, text):
        # The form and the importer share one parser: the field accepts exactly what parse_score accepts.
        try:
            expected = parse_score(text, places=2)
        except ThaiValueError as exc:
            if not text.strip():
                self.assertIsNone(ScoreField().clean(text))
                return
            with self.assertRaises(forms.ValidationError) as caught:
                ScoreField().clean(text)
            self.assertEqual(caught.exception.messages, [str(exc)])
        else:
            self.assertEqual(ScoreField().clean(text), expected)


class ScoreEntryFormTests(BaseTestCase):
    def test_fields_follow_the_framework(self):
        form = ScoreEntryForm(assessment=self.alpha_2564)
        groups = form.groups()
        self.assertEqual([g.code for g in groups], ["IIT", "EIT", "OIT"])
        self.assertEqual([len(g.indicators) for g in groups], [5, 3, 2])
        self.assertEqual([f.name for f in groups[1].fields], ["tool_EIT", "tool_EIT1", "tool_EIT2"])
        first = groups[0].indicators[0]
        self.assertEqual(first.field.name, "indicator_1")
        self.assertEqual([item.code for item, _ in first.items], ["i1", "i2", "i3", "i4", "i5", "i6"])
        self.assertEqual(len(groups[2].indicators[1].items), 10)  # O34–O43
        labels = [label for label, _ in form.fields["official_level"].choices]
        self.assertEqual(labels, ["", "AA", "A", "B", "C", "D", "E", "F"])

    def test_stored_values_are_shown_in_thai_digits(self):
        Score.objects.create(assessment=self.alpha_2564, kind="indicator", code="1", value=Decimal("88.95"))
        Score.objects.create(assessment=self.alpha_2564, kind="item", code="o27", value=Decimal("100"))
        form = ScoreEntryForm(assessment=self.alpha_2564)
        self.assertEqual(form["indicator_1"].value(), "๘๘.๙๕")
        self.assertEqual(form["item_o27"].value(), "๑๐๐.๐๐")
        self.assertIsNone(form["indicator_2"].value())
        self.assertEqual(form["version"].value(), 1)

    def test_read_only_disables_every_field(self):
        form = ScoreEntryForm(assessment=self.alpha_2564, read_only=True)
        self.assertTrue(all(field.disabled for field in form.fields.values()))

    def test_an_imported_official_level_outside_the_framework_stays_selectable(self):
        self.alpha_2564.official_level = "ผ่าน"
        form = ScoreEntryForm(assessment=self.alpha_2564)
        self.assertIn(("ผ่าน", "ผ่าน"), form.fields["official_level"].choices)


class SetScoresTests(BaseTestCase):
    def test_only_changed_rows_are_touched(self):
        kept = Score.objects.create(
            assessment=self.alpha_2564, kind="indicator", code="1", value=Decimal("80"), source=ValueSource.IMPORT
        )
        changed = Score.objects.create(
            assessment=self.alpha_2564, kind="indicator", code="2", value=Decimal("70"), source=ValueSource.IMPORT
        )
        gone = Score.objects.create(assessment=self.alpha_2564, kind="indicator", code="3", value=Decimal("60"))
        values = {
            ("indicator", "1"): Decimal("80.00"),
            ("indicator", "2"): Decimal("71"),
            ("indicator", "3"): None,
            ("indicator", "4"): Decimal("90.5"),
            ("indicator", "5"): None,
        }
        kept_at = kept.updated_at
        touched = self.alpha_2564.set_scores(values, user=self.alice, source=ValueSource.FORM)
        self.assertEqual(touched, 3)
        kept.refresh_from_db()
        self.assertEqual((kept.source, kept.entered_by, kept.updated_at), ("import", None, kept_at))
        changed.refresh_from_db()
        self.assertEqual((changed.value, changed.source, changed.entered_by), (Decimal("71"), "form", self.alice))
        self.assertGreater(changed.updated_at, kept.updated_at)
        self.assertFalse(Score.objects.filter(pk=gone.pk).exists())
        new = Score.objects.get(assessment=self.alpha_2564, kind="indicator", code="4")
        self.assertEqual((new.value, new.entered_by), (Decimal("90.50"), self.alice))


class AddYearFormTests(TestCase):
    def test_offers_only_framework_years_the_organisation_lacks(self):
        make_framework(2564)
        make_framework(2565)
        make_framework(2566)
        org = make_organization()
        make_assessment(org, fiscal_year=2565)
        form = AddYearForm(organization=org)
        self.assertEqual([year for year, _ in form.fields["fiscal_year"].choices], [2566, 2564])
        self.assertEqual(dict(form.fields["fiscal_year"].choices)[2566], "ปีงบประมาณ พ.ศ. ๒๕๖๖")
        self.assertFalse(AddYearForm({"fiscal_year": "2565"}, organization=org).is_valid())
        self.assertFalse(AddYearForm({"fiscal_year": "2570"}, organization=org).is_valid())
        self.assertTrue(AddYearForm({"fiscal_year": "2566"}, organization=org).is_valid())
