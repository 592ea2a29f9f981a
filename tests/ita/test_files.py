"""ita.files: a file's type from its bytes, Thai file sizes, and the attachment header with a Thai name."""

from __future__ import annotations

from unittest import TestCase

from ita.files.responses import content_disposition
from ita.files.sniff import JPEG, PDF, PNG, sniff
from ita.thai import format_size


class SniffTests(TestCase):
    def test_the_three_kinds_by_their_first_bytes(self):
        self.assertEqual(sniff(b"%PDF-1.7\n"), PDF)
        self.assertEqual(sniff(b"\x89PNG\r\n\x1a\n\x00\x00"), PNG)
        self.assertEqual(sniff(b"\xff\xd8\xff\xe1"), JPEG)

    def test_anything_else_is_unknown(self):
        for head in (b"", b"<html>", b" %PDF-", b"\x89PNG\r\n", b"\xff\xd8", b"GIF89a", b"PK\x03\x04"):
            with self.subTest(head=head):
                self.assertIsNone(sniff(head))


class SizeTests(TestCase):
    def test_thai_units(self):
        self.assertEqual(format_size(512), "๕๑๒ ไบต์")
        self.assertEqual(format_size(1536), "๑.๕ กิโลไบต์")
        self.assertEqual(format_size(10 * 1024 * 1024), "๑๐.๐ เมกะไบต์")
        self.assertEqual(format_size(3 * 1024**3, digits="arabic"), "3.0 กิกะไบต์")


class DispositionTests(TestCase):
    def test_ascii_fallback_and_rfc_5987_name(self):
        header = content_disposition("attachment-7.pdf", "รายงาน ผล.pdf")
        self.assertTrue(header.startswith("attachment; filename=\"attachment-7.pdf\"; filename*=UTF-8''"))
        self.assertIn("%E0%B8%A3", header)  # ร, percent-encoded UTF-8
        self.assertNotIn(" ผล", header)
