"""SECURITY.md P1–P5 for the PDF renderer, plus unit tests of its URL fetcher."""

from __future__ import annotations

import base64
import http.server
import io
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils.html import escape
from PIL import Image

from reports.pdf import fetcher
from reports.pdf import render as reports_pdf
from reports.pdf.render import AssetFetcher, AssetRefused, DocumentTooComplex, render_pdf

from . import contains_anywhere, embedded_fonts, page_count, page_sizes, pdf_text, run_poppler, squash

A4 = (595.3, 841.9)


def png_bytes(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "PNG")
    return buffer.getvalue()


def hostile_html(base: str, *, image: str, text: str, css: str) -> str:
    """Every construct SECURITY.md P1 lists, each pointing somewhere under ``base``."""
    return f"""<html><head>
<link rel="attachment" href="{base}{text}">
<link rel="stylesheet" href="{base}{css}">
<style>@import url("{base}{css}");
@font-face {{ font-family: Evil; src: url("{base}{text}"); }}
.bg {{ background: url("{base}{image}"); }}</style>
</head><body>
<p>ข้อความปกติ</p>
<a rel="attachment" href="{base}{text}">แนบ</a>
<img src="{base}{image}" alt="">
<object data="{base}{image}" type="image/png"></object>
<object data="{base}{text}"></object>
<embed src="{base}{image}">
<div class="bg" style="width:2cm;height:2cm;background-image:url('{base}{image}')"></div>
<p style="font-family: Evil">ข้อความ</p>
<svg width="50" height="50" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
  <image href="{base}{image}" width="50" height="50"/>
  <image xlink:href="{base}{text}" width="50" height="50"/>
</svg>
<img src="data:image/svg+xml;base64,{base64.b64encode(svg_pointing_at(base + image)).decode()}" alt="">
</body></html>"""


def svg_pointing_at(url: str) -> bytes:
    image = f'<image href="{url}" width="20" height="20"/>'
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">{image}</svg>'.encode()


# --- the fetcher on its own -----------------------------------------------------------------


def test_fetcher_serves_a_bundled_font() -> None:
    response = AssetFetcher().fetch("ita-asset:/fonts/sarabun/Sarabun-Regular.ttf")
    assert response.content_type == "font/ttf"
    assert response.read() == (fetcher.STATIC_DIR / "fonts/sarabun/Sarabun-Regular.ttf").read_bytes()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://127.0.0.1:1/",
        "https://example.org/logo.png",
        "ftp://example.org/x",
        "//example.org/x.png",
        "/etc/passwd",
        "ita-asset:/../../../etc/passwd",
        "ita-asset:/fonts/../../ita/settings.py",
        "ita-asset:/fonts/%2e%2e/%2e%2e/ita/settings.py",
        "ita-asset:/fonts/sarabun/..%2f..%2f..%2fita%2fsettings.py",
        "ita-asset:/fonts\\..\\..\\ita\\settings.py",
        "ita-asset:/templates/base.html",
        "ita-asset:/fonts/sarabun/OFL.txt",
        "ita-asset:/fonts/sarabun/",
        "ita-asset:/fonts/sarabun/missing.ttf",
        "ita-asset:/fonts/sarabun/Sarabun-Regular.ttf?x=1",
        "ita-asset://fonts/sarabun/Sarabun-Regular.ttf",
        "ita-asset:fonts/sarabun/Sarabun-Regular.ttf",
        "data:text/html,<script>alert(1)</script>",
        "data:application/javascript;base64,YWxlcnQoMSk=",
        "data:image/png;base64,not base64!",
        "data:image/png;base64" + "AAAA",
        "data:image/png;base64," + "A" * 400_000,
        "javascript:alert(1)",
    ],
)
def test_fetcher_refuses(url: str) -> None:
    with pytest.raises(AssetRefused):
        AssetFetcher().fetch(url)


def test_fetcher_refuses_symlink_out_of_an_asset_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(png_bytes())
    (tmp_path / "static/img").mkdir(parents=True)
    (tmp_path / "static/img/logo.png").write_bytes(png_bytes("blue"))
    (tmp_path / "static/img/evil.png").symlink_to(secret)
    monkeypatch.setattr(fetcher, "STATIC_DIR", tmp_path / "static")
    assert AssetFetcher().fetch("ita-asset:/img/logo.png").read() == png_bytes("blue")
    with pytest.raises(AssetRefused):
        AssetFetcher().fetch("ita-asset:/img/evil.png")


def test_fetcher_decodes_small_data_urls_of_allowed_types() -> None:
    image = png_bytes()
    response = AssetFetcher().fetch("data:image/png;base64," + base64.b64encode(image).decode())
    assert (response.content_type, response.read()) == ("image/png", image)
    svg = AssetFetcher().fetch("data:image/svg+xml,%3Csvg%20xmlns%3D%22http://www.w3.org/2000/svg%22/%3E")
    assert svg.read() == b'<svg xmlns="http://www.w3.org/2000/svg"/>'


def test_fetcher_has_no_urllib_handlers_and_open_is_guarded() -> None:
    fetcher = AssetFetcher()
    assert fetcher.handlers == [] and fetcher.handle_open == {}
    with pytest.raises(AssetRefused):
        fetcher.open("file:///etc/passwd")


# --- P1 local file read ----------------------------------------------------------------------


@pytest.fixture
def canaries(tmp_path: Path) -> Path:
    """Files a careless renderer would happily load: text, a real PNG and a stylesheet."""
    (tmp_path / "secret.txt").write_text("root:x:0:0:CANARY-TEXT-4711\n")
    (tmp_path / "secret.png").write_bytes(png_bytes())
    (tmp_path / "secret.css").write_text('body::after { content: "CANARY-CSS-4711"; } @page { size: 1px; }')
    return tmp_path


def assert_nothing_loaded(pdf: bytes, tmp_path: Path) -> None:
    text = pdf_text(pdf, tmp_path)
    assert "ข้อความปกติ" in text  # the document itself rendered
    assert not contains_anywhere(pdf, b"/EmbeddedFile")
    assert not contains_anywhere(pdf, b"/Subtype /Image") and not contains_anywhere(pdf, b"/Subtype/Image")
    for needle in ("root:x:0:0", "CANARY-TEXT-4711", "CANARY-CSS-4711"):
        assert needle not in text
        assert not contains_anywhere(pdf, needle.encode())
    assert page_sizes(pdf, tmp_path) == [A4] * page_count(pdf, tmp_path)


def test_p1_file_urls_are_neither_embedded_nor_read(canaries: Path, caplog: pytest.LogCaptureFixture) -> None:
    base = canaries.as_uri() + "/"
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render_pdf(hostile_html(base, image="secret.png", text="secret.txt", css="secret.css"))
    assert_nothing_loaded(pdf, canaries)
    assert "URL refused by the PDF renderer" in caplog.text  # refused by our fetcher, not by luck


def test_p1_etc_passwd_by_every_construct(tmp_path: Path) -> None:
    pdf = render_pdf(hostile_html("file:///etc/", image="passwd", text="passwd", css="passwd"))
    assert_nothing_loaded(pdf, tmp_path)


def test_p1_base_href_cannot_redirect_relative_urls(canaries: Path) -> None:
    head = f'<head><base href="{canaries.as_uri()}/"></head>'
    html = f'<html>{head}<body><p>ข้อความปกติ</p><img src="secret.png"></body></html>'
    assert_nothing_loaded(render_pdf(html), canaries)


def test_p1_control_an_allowed_data_image_is_embedded(tmp_path: Path) -> None:
    # Proves the image checks above can fail: an allowed image does reach the PDF.
    image = base64.b64encode(png_bytes()).decode()
    pdf = render_pdf(f'<p>ข้อความปกติ</p><img src="data:image/png;base64,{image}">')
    assert contains_anywhere(pdf, b"/Subtype /Image") or contains_anywhere(pdf, b"/Subtype/Image")


# --- P2 SSRF ---------------------------------------------------------------------------------


class CountingServer(http.server.ThreadingHTTPServer):
    hits: list[str]


class CountingHandler(http.server.BaseHTTPRequestHandler):
    server: CountingServer

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "/image.png")
            self.end_headers()
            return
        body = png_bytes() if self.path.endswith(".png") else b"root:x:0:0:CANARY-HTTP"
        self.send_response(200)
        self.send_header("Content-Type", "image/png" if self.path.endswith(".png") else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[CountingServer]:
    httpd = CountingServer(("127.0.0.1", 0), CountingHandler)
    httpd.hits = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_p2_control_the_server_counts_hits(server: CountingServer) -> None:
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/redirect") as response:
        assert response.read() == png_bytes()
    assert server.hits == ["/redirect", "/image.png"]


@pytest.mark.parametrize("image", ["image.png", "redirect"])
def test_p2_loopback_urls_get_no_request(server: CountingServer, tmp_path: Path, image: str) -> None:
    base = f"http://127.0.0.1:{server.server_port}/"
    pdf = render_pdf(hostile_html(base, image=image, text="redirect?text", css="redirect?css"))
    assert server.hits == []
    assert_nothing_loaded(pdf, tmp_path)


# --- P3 injection ----------------------------------------------------------------------------

HOSTILE_TEXT = "</td><style>@page{size:1px}</style><img src=x>{{7*7}}"


def one_cell_table(text: str) -> str:
    return f"<table><tbody><tr><td>{escape(text)}</td></tr></tbody></table>"


def test_p3_escaped_markup_is_printed_literally(tmp_path: Path) -> None:
    pdf = render_pdf(one_cell_table(HOSTILE_TEXT))
    plain = render_pdf(one_cell_table("ก" * len(HOSTILE_TEXT)))
    assert HOSTILE_TEXT in squash(pdf_text(pdf, tmp_path))
    assert page_sizes(pdf, tmp_path) == [A4]
    assert page_count(pdf, tmp_path) == page_count(plain, tmp_path) == 1


def test_p3_control_unescaped_markup_would_be_markup(tmp_path: Path) -> None:
    # Shows the test above can fail: without escaping, the text is not printed as written.
    pdf = render_pdf(f"<table><tbody><tr><td>{HOSTILE_TEXT}</td></tr></tbody></table>")
    assert HOSTILE_TEXT not in squash(pdf_text(pdf, tmp_path))
    assert page_sizes(pdf, tmp_path) == [A4]  # and still A4: BASE_CSS sets the size !important


# --- P4 size ---------------------------------------------------------------------------------


def test_p4_oversized_html_is_refused_before_rendering() -> None:
    html = "<p>" + "ก" * (reports_pdf.MAX_HTML_BYTES // 3 + 1) + "</p>"
    with pytest.raises(DocumentTooComplex) as caught:
        render_pdf(html)
    assert "เอกสารใหญ่เกิน" in str(caught.value)


def test_p4_deep_nesting_is_refused() -> None:
    html = "<div>" * 200 + "ข้อความ" + "</div>" * 200
    with pytest.raises(DocumentTooComplex) as caught:
        render_pdf(html)
    assert "ซับซ้อนเกิน" in str(caught.value)


def test_p4_ordinary_nesting_and_unclosed_tags_pass(tmp_path: Path) -> None:
    rows = "".join(f"<tr><td><p>แถว {i}<td><ul><li>ก<li>ข</ul>" for i in range(300))
    pdf = render_pdf("<div>" * 20 + f"<table><tbody>{rows}</tbody></table>" + "</div>" * 20)
    assert page_count(pdf, tmp_path) > 1


def test_p4_too_many_pages_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reports_pdf, "MAX_PAGES", 2)
    html = "".join('<p style="break-before: page">หน้า</p>' for _ in range(3))
    with pytest.raises(DocumentTooComplex) as caught:
        render_pdf(html)
    assert "เกิน 2 หน้า" in str(caught.value)


# --- P5 fonts --------------------------------------------------------------------------------


def test_p5_the_bundled_sarabun_is_embedded_whatever_the_html_asks(tmp_path: Path) -> None:
    html = """<html><head><style>
      body { font-family: "DejaVu Sans", sans-serif !important; }
      .mono { font-family: monospace; }
    </style></head><body>
      <p>ตำบล ITA พ.ศ. ๒๕๖๗</p>
      <p style="font-family: 'DejaVu Sans' !important">DejaVu? ตำบล</p>
      <p class="mono"><b>ตัวหนา Bold</b> <i>ตัวเอียง</i></p>
    </body></html>"""
    pdf = render_pdf(html)
    listing = run_poppler("pdffonts", pdf, tmp_path=tmp_path).splitlines()[2:]
    assert listing, "no font in the PDF"
    for line in listing:
        name, *_, emb, _sub, uni, _obj, _gen = line.split()
        assert "ITA-Sarabun" in name and emb == uni == "yes", line
    families = {font["name"].getDebugName(1) for font in embedded_fonts(pdf)}
    full_names = {font["name"].getDebugName(4) for font in embedded_fonts(pdf)}
    # The bundled Sarabun with SARA AM ligatures (scripts/build_fonts.py), renamed as the OFL asks.
    assert families == {"ITA Sarabun"}
    assert full_names == {"ITA Sarabun Regular", "ITA Sarabun Bold", "ITA Sarabun Italic"}
