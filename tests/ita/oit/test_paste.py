"""The checklist's paste parser: every spelling of a code, the errors in Thai, and linear cost."""

from ita.oit.paste import parse_paste, split_code
from tests.growth import assert_work_linear

KNOWN = {f"o{n}" for n in range(1, 44)}


def test_every_spelling_of_a_code_is_read():
    text = "\n".join(
        [
            "O1 https://a.go.th/1",
            "o2 https://a.go.th/2",
            "ข้อ ๐๓ https://a.go.th/3",
            "O 4: https://a.go.th/4",
            "ข้อที่ 5. https://a.go.th/5",
            "O๖) https://a.go.th/6",
            "ｏ7 - https://a.go.th/7",
            "  O08https://a.go.th/8  ",
        ]
    )
    result = parse_paste(text, KNOWN)
    assert result.errors == []
    assert result.urls == {f"o{n}": [f"https://a.go.th/{n}"] for n in range(1, 9)}


def test_several_urls_on_a_line_and_over_lines_add_up_once_each():
    text = "O1 https://a.th/x, https://a.th/y\n\nO1 https://a.th/x HTTP://B.TH/z"
    assert parse_paste(text, KNOWN).urls == {"o1": ["https://a.th/x", "https://a.th/y", "HTTP://B.TH/z"]}


def test_errors_name_the_line_in_thai():
    text = "O99 https://a.th\nO1 ftp://a.th/f\nสวัสดี\nO2\nO3 https://\nO1a https://a.th"
    result = parse_paste(text, KNOWN)
    assert [str(error) for error in result.errors] == [
        "บรรทัด ๑: ไม่มีข้อ O99 ในรายการ OIT ของปีนี้",
        "บรรทัด ๒: 'ftp://a.th/f' ไม่ใช่ลิงก์ที่ขึ้นต้นด้วย http:// หรือ https://",
        "บรรทัด ๓: ไม่พบรหัสข้อที่ต้นบรรทัด (เช่น O1 หรือ ข้อ ๑): 'สวัสดี'",
        "บรรทัด ๔: ไม่มีลิงก์หลังรหัสข้อ O2",
        "บรรทัด ๕: ลิงก์ 'https://' ไม่มีชื่อเว็บไซต์",
        "บรรทัด ๖: ไม่พบรหัสข้อที่ต้นบรรทัด (เช่น O1 หรือ ข้อ ๑): 'O1a https://a.th'",
    ]
    assert result.urls == {}


def test_too_many_urls_for_one_item_and_too_long_a_url_are_errors():
    many = "O1 " + " ".join(f"https://a.th/{n}" for n in range(6))
    result = parse_paste(many + "\nO2 https://a.th/" + "x" * 2000, KNOWN)
    messages = [str(error) for error in result.errors]
    assert "ตัวอักษร" in messages[0] and messages[0].startswith("บรรทัด ๒:")
    assert messages[1] == "ข้อ O1 มีลิงก์ ๖ ลิงก์ ใส่ได้ไม่เกิน ๕ ลิงก์ต่อข้อ"


def test_a_stricter_check_adds_its_reason():
    result = parse_paste("O1 https://bad_host/", KNOWN, check_url=lambda url: "ไม่ถูกต้อง")
    assert [str(error) for error in result.errors] == ["บรรทัด ๑: ไม่ถูกต้อง"]


def test_split_code_refuses_what_is_not_a_code():
    assert split_code("O0 https://a.th") is None
    assert split_code("O12345 https://a.th") is None
    assert split_code("https://a.th") is None
    assert split_code("ข้อ 7 https://a.th") == ("o7", " https://a.th")


def test_cost_is_linear_in_lines_urls_and_line_length():
    lines = "\n".join(f"O{n % 43 + 1} https://a.th/{n}" for n in range(500))
    many = "\n".join(f"O{n % 43 + 1} https://a.th/{n}" for n in range(4000))
    assert_work_linear(lambda text: parse_paste(text, KNOWN), lines, many, factor=8)
    one = "O1 " + " ".join(f"https://a.th/{n}" for n in range(500))
    eight = "O1 " + " ".join(f"https://a.th/{n}" for n in range(4000))
    assert_work_linear(lambda text: parse_paste(text, KNOWN), one, eight, factor=8)
    spaces = "ข้อ" + " " * 2000 + "x"
    assert_work_linear(lambda text: parse_paste(text, KNOWN), spaces, "ข้อ" + " " * 16000 + "x", factor=8)
