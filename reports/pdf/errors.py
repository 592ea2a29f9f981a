"""What refuses a document: Thai, user-facing messages (no WeasyPrint here, so anything may import it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MESSAGE_NO_RENDERER = _(
    "เครื่องแม่ข่ายนี้ยังไม่ได้ติดตั้งโปรแกรมสร้างเอกสาร PDF (WeasyPrint กับ Pango) จึงจัดทำเอกสาร PDF ไม่ได้ "
    "กรุณาแจ้งผู้ดูแลระบบ ส่วนเอกสาร Word และหน้าอื่นทุกหน้ายังใช้งานได้ตามปกติ"
)


class DocumentTooComplex(Exception):
    """The document is refused before or during rendering; the message is Thai and user-facing."""


class RendererMissing(DocumentTooComplex):
    """WeasyPrint or the system libraries it loads (Pango, HarfBuzz) are not installed."""
