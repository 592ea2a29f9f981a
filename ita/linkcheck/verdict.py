"""Green, amber or red for one checked URL, with a reason code and its Thai explanation.

The rules, in order (the first that applies decides):
- red: the URL or an address on the way is refused (not http/https, user name or password in the
  URL, a port other than 80/443, a private, loopback, link-local or metadata address), the name
  does not resolve, the connection or TLS fails, the exchange times out, more than
  ``max_redirects`` redirects, a redirect without a target, or a final HTTP status other than 2xx;
- amber (in this order): the page answers 2xx but its title says it is an error page ("404", "ไม่พบ", "not found");
  or the last hop left the organisation's own host (when one is given: the same name or one of its
  sub-domains counts as its own); or the body went past the size cap and the year is not in the part
  read (``too_large``: it may be further on); or the fiscal year is not found (``year_missing``); or
  we cannot tell (``year_unknown``: a PDF PDFium cannot open, or a type whose text we do not read,
  such as images and office files);
- green: 2xx, on the organisation's host, and the fiscal year is mentioned.
Pure Python.
"""

from __future__ import annotations

GREEN, AMBER, RED = "green", "amber", "red"

REASONS: dict[str, tuple[str, str]] = {
    "ok": (GREEN, "เปิดได้ และพบปีงบประมาณ {year} ในเนื้อหา"),
    "soft_404": (AMBER, "เปิดได้ แต่เป็นหน้าแจ้งว่าไม่พบเนื้อหา"),
    "off_host": (AMBER, "ลิงก์พาไปที่เว็บ {host} ซึ่งไม่ใช่เว็บของหน่วยงาน"),
    "too_large": (AMBER, "เนื้อหาใหญ่เกิน {max_size} ระบบอ่านเพียงส่วนต้นและไม่พบปี {year} ในส่วนนั้น จึงตรวจไม่ได้ว่าเป็นข้อมูลปีใด"),
    "year_missing": (AMBER, "เปิดได้ แต่ไม่พบปี {year} ในเนื้อหา อาจเป็นข้อมูลของปีก่อน"),
    "year_unknown": (AMBER, "เปิดได้ แต่อ่านข้อความในไฟล์ไม่ได้ จึงตรวจไม่ได้ว่าเป็นข้อมูลปี {year} หรือไม่"),
    "http_error": (RED, "เว็บตอบกลับรหัส {status} เปิดดูเนื้อหาไม่ได้"),
    "not_found": (RED, "ไม่พบหน้านี้บนเว็บ (รหัส ๔๐๔)"),
    "bad_url": (RED, "ที่อยู่ลิงก์ไม่ถูกต้อง"),
    "refused_scheme": (RED, "รับเฉพาะลิงก์ที่ขึ้นต้นด้วย http:// หรือ https://"),
    "refused_userinfo": (RED, "ลิงก์มีชื่อผู้ใช้หรือรหัสผ่านปนอยู่ ระบบไม่เปิดลิงก์แบบนี้"),
    "refused_port": (RED, "ลิงก์ใช้พอร์ตที่ไม่ใช่เว็บทั่วไป (๘๐ หรือ ๔๔๓) ระบบไม่เปิดลิงก์แบบนี้"),
    "refused_address": (RED, "ลิงก์ชี้ไปที่เครือข่ายภายใน ซึ่งผู้ประเมินภายนอกเปิดไม่ได้ ระบบจึงไม่เปิด"),
    "dns": (RED, "ไม่พบชื่อเว็บ {host}"),
    "connect": (RED, "เชื่อมต่อเว็บ {host} ไม่ได้"),
    "timeout": (RED, "เว็บตอบช้าเกิน {timeout} วินาที"),
    "tls": (RED, "ใบรับรองความปลอดภัย (HTTPS) ของเว็บ {host} ใช้ไม่ได้"),
    "protocol": (RED, "เว็บ {host} ตอบกลับไม่ครบหรือผิดรูปแบบ"),
    "too_many_redirects": (RED, "ลิงก์ส่งต่อไปหน้าอื่นเกิน {max_redirects} ครั้ง"),
    "bad_redirect": (RED, "ลิงก์ส่งต่อไปหน้าอื่นแต่ไม่บอกว่าไปที่ใด"),
}


def verdict_of(code: str) -> str:
    return REASONS[code][0]


def reason_text(code: str, **values: object) -> str:
    """The Thai explanation of a reason code, with the URL's facts filled in."""
    return REASONS[code][1].format_map(_Blank(values))


class _Blank(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "-"


def on_own_host(host: str, expected_host: str) -> bool:
    """The same host name, ignoring "www." and case, or a sub-domain of it."""
    own = expected_host.lower().rstrip(".").removeprefix("www.")
    name = host.lower().rstrip(".").removeprefix("www.")
    return name == own or name.endswith("." + own)
