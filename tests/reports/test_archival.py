"""Every document PDF is tagged and describes itself; the published copy is PDF/A-3u carrying its frozen data."""

from __future__ import annotations

import hashlib
import io
import tempfile
from pathlib import Path

import pypdf
from django.test import override_settings

from reports.rendering import DATA_ATTACHMENT

from . import pdf_text
from .test_document import DocumentTestCase
from .test_publishing import SITE, PublishingTestCase


def _catalog_lang(reader: pypdf.PdfReader) -> str:
    return str(reader.trailer["/Root"].get("/Lang", ""))


class DraftMetadataTests(DocumentTestCase):
    def test_title_author_subject_keywords_dates_language_and_tags(self):
        pdf, _folder = self.render()
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        info = reader.metadata
        self.assertIn("มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", info.title)
        self.assertEqual(info.author, "เทศบาลตำบลแม่สายมิตรภาพ")
        self.assertIn("๒๕๖๗", info.subject)
        self.assertIn("เทศบาลตำบลแม่สายมิตรภาพ", info["/Keywords"])
        self.plan.refresh_from_db()
        self.assertEqual(
            info.creation_date.replace(tzinfo=None), self.plan.created_at.replace(microsecond=0, tzinfo=None)
        )
        self.assertIsNotNone(info.modification_date)
        self.assertEqual(_catalog_lang(reader), "th")
        self.assertIn("/StructTreeRoot", reader.trailer["/Root"])
        self.assertEqual(reader.trailer["/Root"]["/MarkInfo"]["/Marked"], True)
        self.assertNotIn("pdfaid", (reader.xmp_metadata and reader.xmp_metadata.stream.get_data().decode()) or "")


@override_settings(SITE_URL=SITE)
class PublishedArchivalTests(PublishingTestCase):
    def test_the_published_copy_is_pdf_a_3u_with_its_frozen_data_attached(self):
        version, _ = self.publish()
        reader = pypdf.PdfReader(io.BytesIO(bytes(version.pdf)))
        xmp = reader.xmp_metadata.stream.get_data().decode()
        self.assertRegex(xmp, r"pdfaid:part[^0-9]{1,3}3")
        self.assertRegex(xmp, r"pdfaid:conformance[^A-Z]{1,3}U")
        self.assertIn("/OutputIntents", reader.trailer["/Root"])
        self.assertEqual(reader.attachments[DATA_ATTACHMENT], [version.canonical_data])
        self.assertEqual(_catalog_lang(reader), "th")
        self.assertIn("/StructTreeRoot", reader.trailer["/Root"])
        # The attachment is what the printed SHA-256 is of.
        self.assertEqual(hashlib.sha256(reader.attachments[DATA_ATTACHMENT][0]).hexdigest(), version.data_sha256)
        with tempfile.TemporaryDirectory() as folder:
            self.assertIn(version.data_sha256, "".join(pdf_text(bytes(version.pdf), Path(folder)).split()))
