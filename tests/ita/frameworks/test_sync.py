"""`manage.py sync_frameworks`: an old catalogue brought to its file, without undoing an administrator's corrections.

The "old catalogue" is the 2568 framework loaded from today's file and then edited back the way a
database that loaded an earlier fixture holds it.
"""

import io
import json
import shutil
from decimal import Decimal

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from ita import audit
from ita.frameworks.files import fixture_dir
from ita.grading.assess import grade_assessment
from ita.grading.inputs import scores_from_assessment, spec_from_framework
from ita.grading.rules import grade
from ita.models import AuditEvent, Framework, Indicator, Item, ItemCrosswalk, Source, SubIndicator, ValueSource
from tests.factory import make_assessment, make_organization

OLD_O12 = "รายการการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ"
COUNTED = (Framework, Indicator, SubIndicator, Item, ItemCrosswalk, AuditEvent)


@pytest.fixture
def files(tmp_path, settings):
    """A fixture directory with the 2568 and 2569 files and the real crosswalk."""
    for name in ("ita_2568.json", "ita_2569.json", "crosswalk.json"):
        shutil.copy(fixture_dir() / name, tmp_path / name)
    settings.ITA_FRAMEWORK_FIXTURES = tmp_path
    return tmp_path


@pytest.fixture
def old(db, files):
    """The 2568 framework as a database that loaded an older file holds it; 2569 loaded as it is."""
    call_command("loaddata", str(files / "ita_2568.json"), str(files / "ita_2569.json"), verbosity=0)
    framework = Framework.objects.get(fiscal_year=2568)
    items = Item.objects.filter(framework=framework)
    items.filter(code="o12").update(text=OLD_O12, evidence="")
    items.filter(code="o16").update(indicator=framework.indicators.get(number=9))  # the old indicator split
    items.filter(code="o27").update(weight=Decimal("0"))
    items.filter(code="o26").delete()
    Indicator.objects.filter(framework=framework, number=10).update(name="การป้องกันการทุจริต (ชื่อเดิม)")
    return framework


def sync(*args: str) -> str:
    out = io.StringIO()
    call_command("sync_frameworks", *args, stdout=out)
    return out.getvalue()


def counts() -> list[int]:
    return [model.objects.count() for model in COUNTED]


def item(code: str, year: int = 2568) -> Item:
    return Item.objects.select_related("indicator").get(framework__fiscal_year=year, code=code)


def test_apply_brings_an_old_catalogue_to_its_file(old):
    output = sync("--apply")
    assert item("o12").text == "รายการการจัดซื้อจัดจ้างหรือการจัดหาพัสดุและความก้าวหน้า"
    assert item("o12").evidence.startswith("รายการจัดซื้อจัดจ้างหรือจัดหาพัสดุของปี")
    assert item("o16").indicator.number == 10
    assert item("o27").weight == Decimal("1")
    assert item("o26").text == "รายงานผลตามแผน"
    assert Indicator.objects.get(framework=old, number=10).name == "การป้องกันการทุจริต"
    assert "เพิ่มแล้ว: ข้อ O26" in output
    assert "ปรับตามไฟล์แล้ว (ชื่อตัวชี้วัด): ตัวชี้วัดที่ ๑๐" in output
    assert "ปรับตามไฟล์แล้ว (ตัวชี้วัด): ข้อ O16" in output
    assert "ปรับตามไฟล์แล้ว (ข้อคำถาม / รายการ, หลักฐานที่ข้อนี้ขอ): ข้อ O12" in output
    assert "กรอบการประเมินปี พ.ศ. ๒๕๖๙ (ita_2569.json):\n  ตรงกับไฟล์แล้ว" in output
    # The missing item's crosswalk rows (2568 O26 → 2569 O24, and from 2567 none: 2567 is not loaded).
    assert ItemCrosswalk.objects.filter(from_item=item("o26"), to_item=item("o24", 2569)).exists()


def test_each_row_written_has_an_audit_event_from_the_command(old):
    sync("--apply")
    events = AuditEvent.objects.filter(source=Source.COMMAND)
    assert {(e.object_type, e.action) for e in events} == {("ita.item", "create"), ("ita.item", "update"),
                                                          ("ita.indicator", "update")}  # fmt: skip
    o16 = events.get(object_type="ita.item", object_id=item("o16").pk)
    assert o16.changes["indicator"]["old"] == old.indicators.get(number=9).pk
    assert o16.changes["indicator"]["new"] == old.indicators.get(number=10).pk
    assert "ita_2568.json" in o16.summary


def test_a_dry_run_writes_nothing_and_says_what_apply_would_do(old):
    before = counts()
    output = sync()
    assert counts() == before
    assert item("o12").text == OLD_O12
    assert not Item.objects.filter(framework=old, code="o26").exists()
    assert output.startswith("ตรวจอย่างเดียว ยังไม่ได้เขียนฐานข้อมูล")
    assert "จะเพิ่ม: ข้อ O26" in output
    assert "จะปรับตามไฟล์ (ตัวชี้วัด): ข้อ O16" in output
    # The crosswalk line counts the rows of O26, which only the apply adds, like the apply will.
    planned = output.splitlines()[-1]
    applied = sync("--apply").splitlines()[-1]
    assert planned.replace("จะเพิ่ม", "เพิ่มแล้ว") == applied


def test_running_twice_changes_nothing_the_second_time(old):
    sync("--apply")
    before = counts()
    snapshot = list(Item.objects.filter(framework=old).order_by("code").values())
    output = sync("--apply")
    assert counts() == before
    assert list(Item.objects.filter(framework=old).order_by("code").values()) == snapshot
    assert output.count("ตรงกับไฟล์แล้ว") == 2
    assert "เพิ่มแล้ว ๐ รายการ" in output


def test_an_item_the_database_has_and_the_file_lacks_is_kept_and_reported(old):
    Item.objects.create(framework=old, code="o29", indicator=old.indicators.get(number=10), text="ข้อที่เพิ่มเอง")
    output = sync("--apply")
    assert item("o29").text == "ข้อที่เพิ่มเอง"
    assert "มีในฐานข้อมูลแต่ไม่มีในไฟล์ (ไม่ลบ): ข้อ O29" in output


def test_an_item_changed_in_the_admin_is_kept_and_reported(old, admin_client):
    o8 = item("o8")
    data = {
        "framework": old.pk,
        "code": "o8",
        "indicator": o8.indicator_id,
        "sub_indicator": "",
        "text": "คู่มือตามที่ผู้ดูแลระบบแก้",
        "evidence": o8.evidence,
        "weight": "1.00",
        "order": o8.order,
        "note": o8.note,
        "_save": "บันทึก",
    }
    response = admin_client.post(reverse("admin:ita_item_change", args=[o8.pk]), data)
    assert response.status_code == 302
    output = sync("--apply")
    assert item("o8").text == "คู่มือตามที่ผู้ดูแลระบบแก้"
    assert "คงไว้ตามที่ผู้ดูแลระบบแก้ไข แม้ต่างจากไฟล์ (ข้อคำถาม / รายการ): ข้อ O8" in output
    assert item("o12").text != OLD_O12  # the rest of the framework still follows the file


def test_an_admin_log_entry_alone_marks_a_row_as_edited(old, admin_user):
    o9 = item("o9")
    Item.objects.filter(pk=o9.pk).update(text="คู่มือรุ่นเก่าที่แก้ก่อนมีประวัติ")
    LogEntry.objects.log_actions(
        user_id=admin_user.pk, queryset=[o9], action_flag=CHANGE, change_message="[]", single_object=True
    )
    output = sync("--apply")
    assert item("o9").text == "คู่มือรุ่นเก่าที่แก้ก่อนมีประวัติ"
    assert "ข้อ O9" in output.split("คงไว้ตามที่ผู้ดูแลระบบแก้ไข")[1]


def test_an_item_the_admin_deleted_is_not_added_back(old, admin_user):
    o25 = item("o25")
    event = audit.build(
        action="delete",
        obj=o25,
        user=admin_user,
        source=Source.ADMIN,
        changes=audit.model_diff(Item, audit.snapshot(o25, ["framework", "code", "text"]), {}),
        summary="ลบข้อการประเมิน O25 ผ่านหน้าผู้ดูแลระบบ",
    )
    o25.delete()
    event.save()
    output = sync("--apply")
    assert not Item.objects.filter(framework=old, code="o25").exists()
    assert "ผู้ดูแลระบบลบไว้ จึงไม่เพิ่มกลับ: ข้อ O25" in output
    assert item("o26").text == "รายงานผลตามแผน"  # deleted without a record: added back


def test_apply_regrades_the_frameworks_assessments_when_grading_reads_what_changed(old):
    assessment = make_assessment(make_organization(), old)
    items = {
        ("item", code): Decimal(100) for code in old.items.filter(indicator__tool="OIT").values_list("code", flat=True)
    }
    items[("item", "o16")] = Decimal(40)
    items[("item", "o26")] = Decimal(100)
    values = {("tool", "IIT"): Decimal(90), ("tool", "EIT"): Decimal(90), **items}
    assessment.set_scores(values, user=None, source=ValueSource.COMMAND)
    grade_assessment(assessment=assessment)
    before = assessment.overall
    output = sync("--apply")
    assessment.refresh_from_db()
    expected = grade(spec_from_framework(old), scores_from_assessment(assessment)).overall
    assert assessment.overall == expected != before
    assert "คำนวณคะแนนใหม่แล้ว ๑ ผลการประเมิน" in output


def test_notes_alone_do_not_regrade(db, files):
    call_command("loaddata", str(files / "ita_2568.json"), str(files / "ita_2569.json"), verbosity=0)
    framework = Framework.objects.get(fiscal_year=2568)
    make_assessment(make_organization(), framework)
    Item.objects.filter(framework=framework, code="o3").update(note="หมายเหตุเดิม")
    output = sync("--apply")
    assert "ปรับตามไฟล์แล้ว (หมายเหตุ / แหล่งข้อมูล): ข้อ O3" in output
    assert "คำนวณคะแนนใหม่" not in output


def test_a_framework_the_database_lacks_is_loaded_whole(db, files):
    call_command("loaddata", str(files / "ita_2568.json"), verbosity=0)
    assert "ยังไม่มีในฐานข้อมูล: จะโหลดทั้งกรอบจากไฟล์" in sync()
    assert not Framework.objects.filter(fiscal_year=2569).exists()
    output = sync("--apply")
    assert "ยังไม่มีในฐานข้อมูล: โหลดทั้งกรอบจากไฟล์แล้ว" in output
    assert Item.objects.filter(framework__fiscal_year=2569).count() == 26 + 15 + 9
    assert ItemCrosswalk.objects.filter(from_item__code="o28", to_item__code="o26").exists()


def test_a_row_whose_parent_the_admin_deleted_is_skipped_and_named(old, admin_user):
    SubIndicator.objects.create(indicator=old.indicators.get(number=10), code="10.2", name="มาตรการ")
    path = fixture_dir() / "ita_2568.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    records.insert(
        next(i for i, r in enumerate(records) if r["model"] == "ita.item"),
        {"model": "ita.subindicator", "fields": {"indicator": [2568, "nacc_itas", 10], "code": "10.3", "name": "ใหม่"}},
    )
    for record in records:
        if record["model"] == "ita.item" and record["fields"]["code"] == "o28":
            record["fields"]["sub_indicator"] = [2568, "nacc_itas", "10.3"]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    indicator = old.indicators.get(number=10)
    deleted = audit.build(
        action="delete",
        obj=SubIndicator(pk=999, indicator=indicator, code="10.3"),
        user=admin_user,
        source=Source.ADMIN,
        changes={
            "indicator": {"label": "ตัวชี้วัด", "old": indicator.pk, "new": None},
            "code": {"label": "รหัส", "old": "10.3", "new": None},
        },
        summary="ลบตัวชี้วัดย่อย 10.3 ผ่านหน้าผู้ดูแลระบบ",
    )
    deleted.save()
    output = sync("--apply")
    assert "ผู้ดูแลระบบลบไว้ จึงไม่เพิ่มกลับ: ตัวชี้วัดย่อย ๑๐.๓" in output
    assert "ข้ามเพราะไม่มี ตัวชี้วัดย่อย ๑๐.๓ ในฐานข้อมูล: ข้อ O28" in output
    assert item("o28").sub_indicator is None
    assert "มีในฐานข้อมูลแต่ไม่มีในไฟล์ (ไม่ลบ): ตัวชี้วัดย่อย ๑๐.๒" in output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.__setitem__("weight", "หนึ่ง"), "รายการที่"),
        (lambda r: r.__setitem__("weight", "-1"), "รายการที่"),
        (lambda r: r.__setitem__("indicator", [2567, "nacc_itas", 9]), "กรอบการประเมินอื่น"),
        (lambda r: r.__setitem__("reverse_scored", "yes"), "true หรือ false"),
    ],
)
def test_a_file_the_sync_cannot_use_stops_it_before_any_write(old, change, message):
    path = fixture_dir() / "ita_2568.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    change(next(r["fields"] for r in records if r["model"] == "ita.item" and r["fields"]["code"] == "o12"))
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError, match=message) as raised:
        sync("--apply")
    assert "ita_2568.json" in str(raised.value)
    assert counts() == before
    assert item("o12").text == OLD_O12


def test_a_file_that_is_not_json_is_named(db, files):
    (files / "ita_2570.json").write_text("{ไม่ใช่ json", encoding="utf-8")
    with pytest.raises(CommandError, match=r"ita_2570\.json"):
        sync()


def test_every_framework_file_agrees_with_itself_once_loaded(db, settings):
    settings.ITA_FRAMEWORK_FIXTURES = fixture_dir()
    call_command("loaddata", *[str(p) for p in sorted(fixture_dir().glob("ita_*.json"))], verbosity=0)
    output = sync()
    assert output.count("ตรงกับไฟล์แล้ว") == 7, output


def test_a_crosswalk_row_that_is_not_a_link_is_named_before_any_write(old):
    path = fixture_dir() / "crosswalk.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    records[3]["fields"]["to_item"] = [2569, "o1"]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError, match=r"crosswalk\.json รายการที่ 4"):
        sync("--apply")
    assert counts() == before
