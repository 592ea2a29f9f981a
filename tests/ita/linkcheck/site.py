"""A loopback web site for the link checker's tests: fixed pages, and a record of what it saw."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF whose text layer says ``text`` (ASCII, Helvetica), written object by object."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def page(body: str, title: str = "หน่วยงาน") -> bytes:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>".encode()


PAGES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/year-thai": (
        200,
        {"Content-Type": "text/html; charset=utf-8", "Last-Modified": "Wed, 01 Oct 2025 08:00:00 GMT"},
        page("<h1>แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๘</h1>"),
    ),
    "/last-year": (
        200,
        {"Content-Type": "text/html; charset=utf-8"},
        page("<p>แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2567</p><footer>© 2025 อบต.</footer><script>'2568'</script>"),
    ),
    "/soft-404": (200, {"Content-Type": "text/html"}, page("ปี 2568", title="ไม่พบหน้าที่ต้องการ")),
    "/report.pdf": (200, {"Content-Type": "application/pdf"}, tiny_pdf("Annual report fiscal year 2568")),
    "/old.pdf": (200, {"Content-Type": "application/pdf"}, tiny_pdf("Annual report fiscal year 2567")),
    "/photo.jpg": (200, {"Content-Type": "image/jpeg"}, b"\xff\xd8\xff\xe0 2568"),
    "/big": (200, {"Content-Type": "text/html"}, b"<p>" + b"x" * (1024 * 1024) + b" 2568</p>"),
    "/big.pdf": (200, {"Content-Type": "application/pdf"}, tiny_pdf("2568") + b"%" * (1024 * 1024)),
    "/to-private": (302, {"Location": "http://10.0.0.1/secret"}, b""),
    "/to-metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
    "/to-nowhere": (302, {}, b""),
}


class Site(ThreadingHTTPServer):
    """Serves PAGES, /hop/N (N redirects before /year-thai), /slow, /wait; records every request."""

    daemon_threads = True
    block_on_close = False  # a test that timed out must not wait for the slow page to finish

    def __init__(self, host: str = "127.0.0.1") -> None:
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, 0), _Handler)
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.in_flight: dict[str, int] = {}
        self.peak: dict[str, int] = {}
        self.peak_total = 0
        self.lock = threading.Lock()

    @property
    def root(self) -> str:
        host = self.server_address[0]
        return f"http://{f'[{host}]' if ':' in host else host}:{self.server_address[1]}"

    def enter(self, host: str) -> None:
        with self.lock:
            self.in_flight[host] = self.in_flight.get(host, 0) + 1
            self.peak[host] = max(self.peak.get(host, 0), self.in_flight[host])
            self.peak_total = max(self.peak_total, sum(self.in_flight.values()))

    def leave(self, host: str) -> None:
        with self.lock:
            self.in_flight[host] -= 1


class _Handler(BaseHTTPRequestHandler):
    server: Site

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read the record instead."""

    def do_GET(self) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        with self.server.lock:
            self.server.requests.append((self.path, headers))
        host = headers.get("host", "").rsplit(":", 1)[0]
        self.server.enter(host)
        try:
            reply = self._answer()
        finally:
            # Counted out before the answer leaves: a client that has its answer may already send the
            # next request, which must not find this one still counted.
            self.server.leave(host)
        self._send(*reply)

    def _answer(self) -> tuple[int, dict[str, str], bytes]:
        if self.path.startswith("/hop/"):
            left = int(self.path.removeprefix("/hop/"))
            target = "/year-thai" if left <= 1 else f"/hop/{left - 1}"
            return 302, {"Location": target}, b""
        if self.path == "/slow":
            time.sleep(2)
            return 200, {"Content-Type": "text/html"}, page("2568")
        if self.path == "/wait":
            time.sleep(0.05)
            return 200, {"Content-Type": "text/html"}, page("2568")
        return PAGES.get(self.path, (404, {"Content-Type": "text/html"}, page("ไม่พบ")))

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the checker stops reading at its cap
