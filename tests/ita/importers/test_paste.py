"""parse_pasted on the indicator and item tables of all five reference seeds.

The tables are copied from ../shared/reference/seeds/ (numbers and labels; long commentary
cells are replaced by the placeholder "ข้อความ", which is enough to keep each row's shape).
"""

from decimal import Decimal

import pytest

from ita.importers.paste import parse_pasted

D = Decimal

NONG_LAENG_RESULT = "\n".join(
    [
        "รายงานผลการประเมิน ประจำปีงบประมาณ ๒๕๖๔",
        "",
        "คะแนนภาพรวมหน่วยงานเทศบาลตำบลหนองเล็ง : ๘๒.๗๖ คะแนน",
        "ระดับผลการประเมิน : B",
    ]
)
NONG_LAENG_RANKING = "\n".join(
    [
        "อันดับ\tตัวชี้วัด\tคะแนน",
        "๑\tการป้องกันการทุจริต\t๙๓.๗๕",
        "๒\tการปฏิบัติหน้าที่\t๘๘.๙๕",
        "๓\tประสิทธิภาพการสื่อสาร\t๘๖.๖๓",
        "๔\tคุณภาพการดำเนินงาน\t๘๔.๙๕",
        "๕\tการใช้อำนาจ\t๘๔.๐๑",
        "๖\tการปรับปรุงการทำงาน\t๘๓.๕๓",
        "๗\tการใช้ทรัพย์สินของราชการ\t๘๑.๔๐",
        "๘\tการแก้ไขปัญหาการทุจริต\t๗๘.๘๒",
        "๙\tการใช้งบประมาณ\t๗๘.๒๘",
        "๑๐\tการเปิดเผยข้อมูล\t๖๙.๐๗",
    ]
)
NONG_LAENG_ANALYSIS = "\n".join(
    [
        "ตัวชี้วัดของการประเมิน ITA\tประเด็นที่ต้องแก้ไข/ปรับปรุง/รักษาระดับ",
        "ข้อความ\t",
        "๑. การปฏิบัติหน้าที่ ๘๘.๙๕ คะแนน\tข้อความ",
        "๒. การใช้งบประมาณ ๗๘.๒๘ คะแนน\t",
        "๓. การใช้อำนาจ ๘๔.๐๑ คะแนน\t",
        "๔. การใช้ทรัพย์สินของราชการ ๘๑.๔๐ คะแนน\t",
        "๕. การแก้ไขปัญหาการทุจริต ๗๘.๘๒ คะแนน\t",
        "ข้อความ\t",
        "๖. คุณภาพการดำเนินงาน ๘๔.๙๕ คะแนน\tข้อความ",
        "๗. ประสิทธิภาพการสื่อสาร ๘๖.๖๓ คะแนน\t",
        "๘. การปรับปรุงการทำงาน ๘๓.๕๓ คะแนน\t",
        "",
        "/ตัวชี้วัด...",
        "",
        "ตัวชี้วัดของการประเมิน ITA\tประเด็นที่ต้องแก้ไข/ปรับปรุง/รักษาระดับ",
        "\tข้อความ",
        "แบบวัดการเปิดเผยข้อมูลสาธารณะ (OIT)\t",
        "๙. การเปิดเผยข้อมูล ๖๙.๐๗ คะแนน\tข้อความ",
        "๑๐. การป้องกันการทุจริต ๙๓.๗๕ คะแนน\t",
    ]
)
LOH_JUD_RESULT = "\n".join(
    [
        "คะแนนภาพรวมหน่วยงานองค์การบริหารส่วนตำบลละจุด :",
        "",
        "๙๙.๕๐ คะแนน ระดับผลการประเมิน : ผ่านดีเยี่ยม",
    ]
)
LOH_JUD_INDICATORS = "\n".join(
    [
        "ตัวชี้วัดที่\tรายละเอียดตัวชี้วัด\tคะแนน",
        "๑\tการปฏิบัติหน้าที่\t๑๐๐.๐๐",
        "๒\tการใช้งบประมาณ\t๑๐๐.๐๐",
        "๓\tการใช้อำนาจ\t๑๐๐.๐๐",
        "๔\tการใช้ทรัพย์สินของราชการ\t๙๙.๐๗",
        "๕\tการแก้ไขปัญหาการทุจริต\t๑๐๐.๐๐",
        "๖\tคุณภาพการดำเนินงาน\t๙๘.๕๔",
        "๗\tประสิทธิภาพการสื่อสาร\t๙๘.๕๔",
        "๘\tการปรับปรุงการทำงาน\t๙๘.๕๔",
        "๙\tการเปิดเผยข้อมูล\t๑๐๐.๐๐",
        "๑๐\tการป้องกันการทุจริต\t๑๐๐.๐๐",
    ]
)
LOH_JUD_QUESTIONS = "\n".join(
    [
        "แบบวัด\tตัวชี้วัด\tข้อความ\tคะแนน\tการวิเคราะห์",
        "EIT\tตัวชี้วัดที่ ๖\tข้อความ\t๙๗.๐๙\tข้อความ",
        "\t\tข้อความ\t๙๗.๐๙\t",
        "\t\tข้อความ\t๙๗.๐๙\t",
        "\t\tข้อความ\t๙๗.๐๐\t",
        "\t\tข้อความ\t๙๗.๐๙\t",
        "\t\tข้อความ\t๙๗.๐๙\t",
        "",
    ]
)
MAE_SAI_RANKING = "\n".join(
    [
        "อันดับ\tตัวชี้วัด\tคะแนน",
        "๑\t๙\t๑๐๐",
        "๒\t๑๐\t๑๐๐",
        "๓\t๑\t๙๕.๐๑",
        "๔\t๓\t๘๘.๖๒",
        "๕\t๕\t๘๖.๐๔",
        "๖\t๖\t๘๕.๐๗",
        "๗\t๗\t๘๔.๕๔",
        "๘\t๒\t๘๔.๔๕",
        "๙\t๔\t๘๓.๐๗",
        "๑๐\t๘\t๘๒.๗๓",
    ]
)
MAE_SAI_QUESTIONS = "\n".join(
    [
        "ตัวชี้วัด\tข้อความ\tวิธีการพัฒนา",
        "ตัวชี้วัดที่ ๒ การใช้ งบประมาณ\tข้อความ\tข้อความ",
        "\tข้อความ\t",
        "\tข้อความ\t",
        "ข้อความ\tข้อความ\tข้อความ",
        "\tข้อความ\t",
        "\tข้อความ\t",
        "\tข้อความ\t",
        "ตัวชี้วัดที่ ๕ การแก้ไข ปัญหาการ ทุจริต\tข้อความ\tข้อความ",
    ]
)
BUENG_LOET_ITEMS = "\n".join(
    [
        "ข้อความ",
        "ข้อความ",
        "ข้อความ",
        "ข้อความ",
    ]
)
KHUAN_SAO_THONG_INDICATORS = "\n".join(
    [
        "แบบ\tลำดับ\tรายละเอียดตัวชี้วัด\tคะแนน",
        "IIT\t๑\tการปฏิบัติหน้าที่\t๙๙.๑๗",
        "\t๒\tการใช้งบประมาณ\t๙๘.๗๕",
        "\t๓\tการใช้อำนาจ\t๑๐๐.๐๐",
        "\t๔\tการใช้ทรัพย์สินของราชการ\t๙๙.๓๑",
        "\t๕\tการแก้ปัญหาคการทุจริต\t๙๙.๕๘",
        "EIT\t๖\tคุณภาพการดำเนินงาน\t๙๓.๓๖",
        "\t๗\tประสิทธิภาพการสื่อสาร\t๘๘.๗๓",
        "\t๘\tการปรับปรุงการทำงาน\t๘๘.๘๖",
        "OIT\t๙\tการเปิดเผยข้อมูล\t๑๐๐.๐๐",
        "\t๑๐\tการป้องกันการทุจริต\t๙๐.๐๐",
    ]
)
KHUAN_SAO_THONG_ITEMS = "\n".join(
    [
        "ลำดับ\tหัวข้อ\tเครื่องมือ การประเมิน\tข้อความถาม\tคะแนน\tข้อความ",
        "๑.\tข้อความ\tIIT\tข้อ i๑\t๙๘.๓๓\tข้อความ",
        "\t\t\tข้อ i๒\t๙๙.๑๗\tข้อความ",
        "\t\t\tข้อ i๓\t๑๐๐.๐๐\tรักษาระดับ",
        "",
        "ลำดับ\tหัวข้อ\tเครื่องมือ การประเมิน\tข้อคำถาม\tคะแนน\tข้อความ",
        "\t\tOIT\tข้อ ๐๗\t๑๐๐.๐๐\tรักษาระดับ",
        "\t\t\tข้อ ๐๘\t๑๐๐.๐๐\t",
        "\t\t\tข้อ ๐๙\t๑๐๐.๐๐\t",
        "\t\t\tข้อ ๐๑๐\t๑๐๐.๐๐\t",
        "",
        "ข้อความ",
        "",
        "ลำดับ\tหัวข้อ\tเครื่องมือ การประเมิน\tข้อคำถาม\tคะแนน\tข้อความ",
        "๒\tการให้บริการและระบบ E-Service\tEIT\tข้อ e๑\t๘๒.๘๖\tข้อความ",
        "\t\t\tข้อ e๒\t๘๒.๘๖\tข้อความ",
        "",
        "ลำดับ\tหัวข้อ\tเครื่องมือ การประเมิน\tข้อคำถาม\tคะแนน\tข้อความ",
        "\t\t\t\t\tข้อความ",
        "\t\t\tข้อ e๓\t๑๐๐.๐๐\tรักษาระดับ",
        "\t\t\tข้อ e๓\t๘๓.๘๑\tข้อความ",
        "\t\t\tข้อ e๘\t๘๐.๐๐\tข้อความ",
        "\t\t\tข้อ e๙\t๗๙.๐๕\tข้อความ",
        "",
        "ลำดับ\tหัวข้อ\tเครื่องมือ การประเมิน\tข้อคำถาม\tคะแนน\tข้อความ",
        "\t\tOIT\tข้อ 0๑๑\t๑๐๐.๐๐\tรักษาระดับ",
        "\t\t\tข้อ 0๑๒\t๑๐๐.๐๐\t",
        "\t\t\tข้อ 0๑๓\t๑๐๐.๐๐\t",
        "\t\t\tข้อ 0๒๕\t๑๐๐.๐๐\t",
        "",
        "ข้อความ",
        "",
        "ลำดับ\tหัวข้อ\tเครื่องมือ การประเมิน\tข้อคำถาม\tคะแนน\tข้อความ",
        "๓\tข้อความ\tEIT\tข้อ e๔\t๙๗.๒๒\tข้อความ",
        "\t\t\tข้อ e๕\t๙๗.๗๘\tข้อความ",
        "\t\t\tข้อ e๖\t๙๘.๓๓\tข้อความ",
        "",
        "ลำดับ\tหัวข้อ\tเครื่องมือ การประเมิน\tข้อคำถาม\tคะแนน\tข้อความ",
        "\t\t\t\t\tข้อความ",
        "\t\tOIT\tข้อ ๐๑\t๑๐๐.๐๐\tรักษาระดับ",
        "\t\t\tข้อ ๐๒\t๑๐๐.๐๐\t",
        "\t\t\tข้อ ๐๓\t๑๐๐.๐๐\t",
        "\t\t\tข้อ ๐๔\t๑๐๐.๐๐\t",
        "\t\t\tข้อ ๐๕\t๑๐๐.๐๐\t",
        "\t\t\tข้อ ๐๖\t๑๐๐.๐๐\t",
        "",
        "ข้อความ",
        "",
        "ลำดับ\tหัวข้อ\tเครื่องมือ การประเมิน\tข้อคำถาม\tคะแนน\tข้อความ",
        "๔\tข้อความ\tIIT\tข้อ i๑๐\t๙๗.๙๒\tข้อความ",
        "\t\t\tข้อ i๑๑\t๑๐๐.๐๐\tรักษาระดับ",
        "\t\t\tข้อ i๑๒\t๑๐๐.๐๐\t",
        "",
        "ข้อความ",
        "",
        "ลำดับ\tหัวข้อ\tเครื่องมือ การประเมิน\tข้อคำถาม\tคะแนน\tข้อความ",
        "๕\tข้อความ\tIIT\tข้อ i๔\t๙๙.๕๘\tข้อความ",
        "\t\t\tข้อ i๕\t๙๘.๗๕\tข้อความ",
        "\t\t\tข้อ i๖\t๙๗.๙๒\tข้อความ",
        "\t\tOIT\tข้อ ๐๑๔\t๑๐๐.๐๐\tรักษาระดับ",
        "\t\t\tข้อ ๐๑๕\t๑๐๐.๐๐\t",
        "\t\t\tข้อ ๐๑๖\t๑๐๐.๐๐\t",
        "\t\t\tข้อ ๐๑๗\t๑๐๐.๐๐\t",
        "",
        "ข้อความ",
        "",
        "ลำดับ\tหัวข้อ\tเครื่องมือ การประเมิน\tข้อคำถาม\tคะแนน\tข้อความ",
        "๖\tข้อความ\tIIT\tข้อ i๗\t๑๐๐.๐๐\tรักษาระดับ",
        "\t\t\tข้อ i๘\t๑๐๐.๐๐\t",
        "\t\t\tข้อ i๙\t๑๐๐.๐๐\t",
        "\t\tOIT\tข้อ ๐๑๕\t๑๐๐.๐๐\tรักษาระดับ",
        "\t\t\tข้อ ๐๑๘\t๑๐๐.๐๐\t",
        "\t\t\tข้อ ๐๑๙\t๑๐๐.๐๐\t",
        "\t\t\tข้อ ๐๒๐\t๑๐๐.๐๐\t",
        "\t\t\tข้อ ๐๒๑\t๑๐๐.๐๐\t",
        "",
        "ข้อความ",
        "",
        "ลำดับ\tหัวข้อ\tเครื่องมือ การประเมิน\tข้อคำถาม\tคะแนน\tข้อความ",
        "๗\tข้อความ\tIIT\tข้อ i๑๓\t๙๙.๕๘\tข้อความ",
        "\t\t\tข้อ i๑๔\t๙๙.๑๗\tข้อความ",
        "\t\t\tข้อ i๑๕\t๑๐๐.๐๐\t",
        "\t\tOIT\tข้อ ๐๒๒\t๑๐๐.๐๐\tรักษาระดับ",
        "\t\t\tข้อ ๐๒๓\t๑๐๐.๐๐\t",
        "\t\t\tข้อ ๐๒๔\t๑๐๐.๐๐\t",
        "",
        "ลำดับ\tหัวข้อ\tเครื่องมือ การประเมิน\tข้อความถาม\tคะแนน\tข้อความ",
        "\t\t\tข้อ ๐๒๗\t๕๐.๐๐\tข้อความ",
        "\t\t\tข้อ ๐๒๘\t๑๐๐.๐๐\tรักษาระดับ",
    ]
)

BUENG_LOET_ITEMS_PROSE = "\n".join(
    [
        "O11 ข้อมูลสถิติการให้บริการ หน่วยงานควรแยกข้อมูลตามประเภทบริการ",
        "○13 รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปี พ.ศ.2567 ควรเปิดเผยให้เป็นปัจจุบัน",
        "○23 การประเมินความเสี่ยงการให้หรือรับสินบน ควรวิเคราะห์ใน 4 ด้านหลัก",
        "○27 มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
    ]
)


def values(text: str, **kwargs) -> dict:
    return parse_pasted(text, **kwargs).values()


def indicators(text: str) -> dict[int, Decimal]:
    return {int(code): value for (kind, code), value in values(text).items() if kind == "indicator"}


def test_nong_laeng_ranking_table_reads_names_not_ranks():
    assert indicators(NONG_LAENG_RANKING) == {
        10: D("93.75"), 1: D("88.95"), 7: D("86.63"), 6: D("84.95"), 3: D("84.01"),
        8: D("83.53"), 4: D("81.40"), 5: D("78.82"), 2: D("78.28"), 9: D("69.07"),
    }  # fmt: skip


def test_nong_laeng_analysis_table_agrees_with_ranking():
    result = parse_pasted(NONG_LAENG_RANKING + "\n" + NONG_LAENG_ANALYSIS)
    assert indicators(NONG_LAENG_ANALYSIS) == indicators(NONG_LAENG_RANKING)
    assert not [line for line in result.unrecognised if "ขัดกับ" in line.reason]


def test_nong_laeng_overall_and_level():
    assert values(NONG_LAENG_RESULT) == {("overall", None): D("82.76"), ("level", None): "B"}


def test_loh_jud_indicator_table_and_overall_split_over_lines():
    assert indicators(LOH_JUD_INDICATORS) == {
        1: D("100.00"), 2: D("100.00"), 3: D("100.00"), 4: D("99.07"), 5: D("100.00"),
        6: D("98.54"), 7: D("98.54"), 8: D("98.54"), 9: D("100.00"), 10: D("100.00"),
    }  # fmt: skip
    assert values(LOH_JUD_RESULT) == {("overall", None): D("99.50"), ("level", None): "ผ่านดีเยี่ยม"}


def test_loh_jud_question_scores_without_codes_are_not_taken_as_indicators():
    result = parse_pasted(LOH_JUD_QUESTIONS)
    assert result.entries == []
    assert len(result.unrecognised) == 7


def test_loh_jud_prose_contradicting_the_table_is_reported():
    prose = (
        "ตัวชี้วัดที่ ๖ คุณภาพดำเนินการ ได้คะแนน ๙๗.๐๗ คะแนน ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร "
        "ได้คะแนน ๙๗.๐๙ คะแนน และตัวชี้วัดที่ ๘ การปรับปรุงการทำงาน ได้คะแนน ๙๘.๕๔ คะแนน"
    )
    assert indicators(prose) == {6: D("97.07"), 7: D("97.09"), 8: D("98.54")}
    result = parse_pasted(LOH_JUD_INDICATORS + "\n" + prose)
    assert result.values()[("indicator", "6")] == D("98.54")
    conflicts = [line.reason for line in result.unrecognised if "ขัดกับ" in line.reason]
    assert len(conflicts) == 2 and "ตัวชี้วัดที่ 6" in conflicts[0]


def test_mae_sai_ranking_table_of_numbers_takes_the_second_as_indicator():
    assert indicators(MAE_SAI_RANKING) == {
        9: D("100"), 10: D("100"), 1: D("95.01"), 3: D("88.62"), 5: D("86.04"),
        6: D("85.07"), 7: D("84.54"), 2: D("84.45"), 4: D("83.07"), 8: D("82.73"),
    }  # fmt: skip


def test_mae_sai_result_and_question_table():
    result = "ผลการประเมินของเทศบาลตำบลแม่สายมิตรภาพ โดยภาพรวมได้คะแนนเท่ากับร้อยละ ๙๑.๔๗ ระดับผลการประเมิน: ผ่าน"
    assert values(result) == {("overall", None): D("91.47"), ("level", None): "ผ่าน"}
    # Questions are numbered ๑. ๒. … but carry no score: nothing may be invented from them.
    assert parse_pasted(MAE_SAI_QUESTIONS).entries == []


def test_mae_sai_prose_contradicting_the_table_is_reported():
    prose = "๖. ตัวชี้วัดที่ ๖ คุณภาพการดำเนินงาน โดยรวมได้คะแนนเท่ากับร้อยละ ๘๓.๖๔ เป็นคะแนนจากการ"
    assert indicators(prose) == {6: D("83.64")}
    result = parse_pasted(MAE_SAI_RANKING + "\n" + prose)
    assert result.values()[("indicator", "6")] == D("85.07")
    assert any("83.64" in line.reason and "85.07" in line.reason for line in result.unrecognised)


def test_bueng_loet_item_titles_have_no_scores():
    result = parse_pasted(BUENG_LOET_ITEMS_PROSE)
    assert result.entries == []
    assert len(result.unrecognised) == 4
    assert "O23" in result.unrecognised[2].reason  # "4 ด้านหลัก" is not O23's score


def test_khuan_sao_thong_indicator_table_with_tool_column_and_misspelling():
    assert indicators(KHUAN_SAO_THONG_INDICATORS) == {
        1: D("99.17"), 2: D("98.75"), 3: D("100.00"), 4: D("99.31"), 5: D("99.58"),
        6: D("93.36"), 7: D("88.73"), 8: D("88.86"), 9: D("100.00"), 10: D("90.00"),
    }  # fmt: skip


def test_khuan_sao_thong_result_line():
    line = "คะแนนภาพรวมของเทศบาลตำบลควนเสารัง คะแนนที่ได้ ๙๔.๙๐ คะแนน ระดับผลการประเมินอยู่ที่ระดับ ผ่าน โดยแบ่งคะแนน"
    assert values(line) == {("overall", None): D("94.90"), ("level", None): "ผ่าน"}


KHUAN_SAO_THONG_EXPECTED_ITEMS = {
    "i1": "98.33", "i2": "99.17", "i3": "100.00", "i4": "99.58", "i5": "98.75", "i6": "97.92",
    "i7": "100.00", "i8": "100.00", "i9": "100.00", "i10": "97.92", "i11": "100.00", "i12": "100.00",
    "i13": "99.58", "i14": "99.17", "i15": "100.00",
    "e1": "82.86", "e2": "82.86", "e3": "100.00", "e4": "97.22", "e5": "97.78", "e6": "98.33",
    "e8": "80.00", "e9": "79.05",
    **{f"o{n}": "100.00" for n in range(1, 29) if n not in (26, 27)},
    "o27": "50.00",
}  # fmt: skip


def test_khuan_sao_thong_item_tables():
    result = parse_pasted(KHUAN_SAO_THONG_ITEMS)
    items = {code: value for (kind, code), value in result.values().items() if kind == "item"}
    assert items == {code: D(value) for code, value in KHUAN_SAO_THONG_EXPECTED_ITEMS.items()}
    assert set(result.values()) == {("item", code) for code in items}
    # The seed lists "ข้อ e๓" twice with different scores (a typo for another item): say so.
    conflicts = [line for line in result.unrecognised if "ขัดกับ" in line.reason]
    assert len(conflicts) == 1 and "E3" in conflicts[0].reason and "83.81" in conflicts[0].reason


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("๑\tการปฏิบัติหน้าที่\t๘๘.๙๕", {("indicator", "1"): D("88.95")}),
        ("IIT ๑ การปฏิบัติหน้าที่ ๙๙.๑๗", {("indicator", "1"): D("99.17")}),
        ("๙. การเปิดเผยข้อมูล ๖๙.๐๗ คะแนน", {("indicator", "9"): D("69.07")}),
        ("ข้อ i๑ ๙๘.๓๓", {("item", "i1"): D("98.33")}),
        ("๑. การปฏิบัติหน้าที่ ๘๘.๙๕ คะแนน", {("indicator", "1"): D("88.95")}),
        ("๑\tการป้องกันการทุจริต\t๙๓.๗๕", {("indicator", "10"): D("93.75")}),
        ("คะแนนภาพรวมหน่วยงาน : ๘๒.๗๖ คะแนน", {("overall", None): D("82.76")}),
        ("คะแนนรวม ๙๙.๕๐", {("overall", None): D("99.50")}),
        # What agencies copy for the overall (FRAMEWORK.md §7).
        ("คะเเนน ITA ๘๒.๗๖", {("overall", None): D("82.76")}),
        ("คะเเนนภาพรวมหน่วยงาน : ๘๒.๗๖ คะแนน", {("overall", None): D("82.76")}),
        ("คะแนนภาพรวมหน่วยงาน\t๘๒.๗๖", {("overall", None): D("82.76")}),
        ("คะแนนที่ได้ : ๘๒.๗๖ คะแนน", {("overall", None): D("82.76")}),
        ("คะแนนที่ได้\t82.76", {("overall", None): D("82.76")}),
        ("Rating Score : 82.76", {("overall", None): D("82.76")}),
        ("rating score\t๘๒.๗๖", {("overall", None): D("82.76")}),
        ("ระดับผลการประเมิน : AA", {("level", None): "AA"}),  # read as given; the year's scheme judges it
        ("ตัวชี้วัดที่ ๕ การเเก้ไขปัญหาการทุจริต ๙๐.๐๐", {("indicator", "5"): D("90.00")}),
        ("ระดับผลการประเมิน : B", {("level", None): "B"}),
        ("ผ่านดีเยี่ยม", {("level", None): "ผ่านดีเยี่ยม"}),
        ("ระดับผลการประเมิน ต้องปรับปรุง โดยด่วน", {("level", None): "ต้องปรับปรุงโดยด่วน"}),
        ("IIT ๘๙.๕๔", {("tool", "IIT"): D("89.54")}),
        ("EIT ส่วนที่ ๑ ๙๕.๒๐", {("tool", "EIT1"): D("95.20")}),
        ("EIT Survey\t84.10", {("tool", "EIT2"): D("84.10")}),
        ("คะแนน OIT ８８.５", {("tool", "OIT"): D("88.5")}),
        ("ตัวชี้วัดที่ ๘ การปรับปรุงระบบการทำงาน ๘๒.๗๓", {("indicator", "8"): D("82.73")}),
        ("ตัวชี้วัดที่ ๗ 84.54%", {("indicator", "7"): D("84.54")}),
        ("๕\tการแก้ปัญหาคการทุจริต\t๙๙.๕๘", {("indicator", "5"): D("99.58")}),
        ("ข้อ ๐๒๗ ๕๐.๐๐", {("item", "o27"): D("50.00")}),
        ("○13\t100", {("item", "o13"): D("100")}),
    ],
)
def test_single_lines(line, expected):
    assert values(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "จากผลการประเมิน ITA ในปีงบประมาณ พ.ศ. ๒๕๖๔",  # a year is not a score
        "มีผลการประเมิน ITA ในภาพรวม ๙๕ คะแนนขึ้นไป",  # a threshold is not a score
        "๑. ท่านทราบข้อมูลเกี่ยวกับงบประมาณ มากน้อยเพียงใด",  # a list number is not a score
        "ตัวชี้วัดที่ ๖\tหน่วยงานให้บริการตามขั้นตอน มากน้อยเพียงใด\t๙๗.๐๙",  # a question, not the indicator
        "๙๕.๐๐ - ๑๐๐",  # a score of nothing
        "EIT\tตัวชี้วัดที่ ๗\tข้อความ\t๙๗.๐๙\tข้อ E๔ ประเด็น (อ้างอิงจาก ๐๓๔)",  # a code after the score
        "คะแนน 105",
    ],
)
def test_lines_that_must_not_produce_values(line):
    result = parse_pasted(line)
    assert result.entries == []
    assert result.unrecognised[0].line_number == 1 and result.unrecognised[0].reason


def test_custom_indicator_names():
    names = {1: "ความโปร่งใส", 2: "ความพร้อมรับผิด"}
    assert values("๑\tความพร้อมรับผิด\t๗๐.๐๐", indicator_names=names) == {("indicator", "2"): D("70.00")}


def test_entries_keep_line_numbers_and_text():
    result = parse_pasted("\r\nหัวตาราง\r\n๒\tการใช้งบประมาณ\t๗๘.๒๘\r\n")
    entry = result.entries[0]
    assert (entry.line_number, entry.line, entry.kind, entry.code) == (3, "๒\tการใช้งบประมาณ\t๗๘.๒๘", "indicator", "2")
    assert result.unrecognised[0].line_number == 2


def test_score_obtained_beside_an_item_or_indicator_is_theirs_not_the_overall():
    assert values("o1 คะแนนที่ได้ ๑๐๐") == {("item", "o1"): D("100")}
    assert values("๒\tการใช้งบประมาณ\tคะแนนที่ได้\t๗๘.๒๘") == {("indicator", "2"): D("78.28")}


def test_a_column_header_score_obtained_does_not_take_the_score_under_it_as_the_overall():
    # A table copied one cell per line: the score under the header is the first row's, not the overall.
    result = parse_pasted("คะแนนที่ได้\n๙๓.๗๕")
    assert result.entries == []
    assert [line.line_number for line in result.unrecognised] == [1, 2]


def test_rating_score_on_its_own_line_takes_the_next_lines_score():
    assert values("Rating Score :\n๘๒.๗๖ คะแนน") == {("overall", None): D("82.76")}
