"""The organisation's emblem: the upload check, the organisation page, the admin, access and history (issue 11)."""

from __future__ import annotations

import base64
import hashlib
import io
import math
import random
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase
from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

from ita import policy
from ita.emblems import image as emblem_image
from ita.emblems.image import MAX_SIDE, MAX_STORED_BYTES, MAX_UPLOAD_BYTES, EmblemRefused, prepare_emblem
from ita.emblems.store import replace_emblem
from ita.models import AuditEvent, AuditorAssignment, Membership, OrganizationEmblem, Source
from reports.pdf.fetcher import MAX_DATA_URL_BYTES, parse_data_url
from tests.base import BaseTestCase
from tests.factory import make_user

# --- sample files -------------------------------------------------------------------------------


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def seal(size: int = 900) -> Image.Image:
    """A round red seal with a blue triangle on a transparent ground."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), fill="white", outline=(140, 20, 20), width=size // 25)
    for k in range(12):
        x = size / 2 + math.cos(2 * math.pi * k / 12) * size * 0.4
        y = size / 2 + math.sin(2 * math.pi * k / 12) * size * 0.4
        draw.ellipse((x - size * 0.03, y - size * 0.03, x + size * 0.03, y + size * 0.03), fill=(200, 150, 20))
    draw.polygon([(size / 2, size * 0.3), (size * 0.65, size * 0.65), (size * 0.35, size * 0.65)], fill=(30, 60, 140))
    return image


def seal_png(size: int = 900) -> bytes:
    return encoded(seal(size), "PNG")


def noise(mode: str, size: tuple[int, int], seed: int = 7) -> Image.Image:
    rng = random.Random(seed)
    channels = len(mode)
    return Image.frombytes(mode, size, bytes(rng.getrandbits(8) for _ in range(size[0] * size[1] * channels)))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height and that holds no pixels at all."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def reopened(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


# --- the check and re-encoding (pure) -------------------------------------------------------------


class RefusalTests(SimpleTestCase):
    def assertRefused(self, data: bytes, message: str) -> None:
        with self.assertRaises(EmblemRefused) as caught:
            prepare_emblem(data)
        self.assertEqual(str(caught.exception), message)

    def test_zero_bytes(self):
        self.assertRefused(b"", emblem_image.MESSAGE_EMPTY)

    def test_over_the_size_limit_before_decoding(self):
        # A valid PNG signature followed by junk: refused for its size, without being decoded.
        self.assertRefused(b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_UPLOAD_BYTES, emblem_image.MESSAGE_TOO_LARGE)

    def test_other_image_types_and_non_images(self):
        small = Image.new("RGB", (40, 40), "red")
        others = {
            "gif": encoded(small, "GIF"),
            "webp": encoded(small, "WEBP"),
            "bmp": encoded(small, "BMP"),
            "tiff": encoded(small, "TIFF"),
            "svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10"/></svg>',
            "pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
            "text": "ตราสัญลักษณ์".encode(),
        }
        for name, data in others.items():
            with self.subTest(name):
                self.assertRefused(data, emblem_image.MESSAGE_NOT_IMAGE)

    def test_truncated_files(self):
        for fmt in ("PNG", "JPEG"):
            with self.subTest(fmt):
                whole = encoded(noise("RGB", (300, 300)), fmt)
                self.assertRefused(whole[: len(whole) // 2], emblem_image.MESSAGE_BROKEN)

    def test_too_many_pixels_by_the_header(self):
        # 5001 × 5001 black pixels compress to a small file, but are over 25 megapixels.
        self.assertRefused(encoded(Image.new("L", (5001, 5001)), "PNG"), emblem_image.MESSAGE_TOO_MANY_PIXELS)

    def test_decompression_bomb_header(self):
        self.assertRefused(png_header_only(100_000, 100_000), emblem_image.MESSAGE_TOO_MANY_PIXELS)
        self.assertRefused(png_header_only(6_000, 6_000), emblem_image.MESSAGE_TOO_MANY_PIXELS)

    def test_header_without_pixels_is_broken(self):
        self.assertRefused(png_header_only(200, 200), emblem_image.MESSAGE_BROKEN)


class ReencodingTests(SimpleTestCase):
    def test_png_is_shrunk_and_loses_its_text_chunks(self):
        info = PngInfo()
        info.add_text("Comment", "ที่อยู่ลับ")
        source = seal(1500).resize((1500, 1000))
        emblem = prepare_emblem(encoded(source, "PNG", pnginfo=info))
        image = reopened(emblem.content)
        self.assertEqual((emblem.content_type, image.format, image.size), ("image/png", "PNG", (MAX_SIDE, 400)))
        self.assertEqual((emblem.width, emblem.height), (MAX_SIDE, 400))
        self.assertEqual(image.mode, "RGBA")  # the seal's transparent corners are kept
        self.assertNotIn("Comment", image.info)
        self.assertEqual(emblem.sha256, hashlib.sha256(emblem.content).hexdigest())

    def test_jpeg_is_turned_upright_and_loses_exif(self):
        exif = Image.Exif()
        exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
        exif[0x010F] = "กล้องของเจ้าหน้าที่"
        source = Image.new("RGB", (1600, 800), (20, 60, 140))
        source.paste((200, 20, 20), (0, 0, 800, 800))
        emblem = prepare_emblem(encoded(source, "JPEG", exif=exif.tobytes(), icc_profile=b"not a real profile"))
        image = reopened(emblem.content)
        self.assertEqual(image.size, (300, MAX_SIDE))  # portrait now: the orientation was applied
        self.assertEqual(len(image.getexif()), 0)
        self.assertNotIn("exif", image.info)
        self.assertNotIn("icc_profile", image.info)

    def test_a_photograph_without_transparency_becomes_a_small_jpeg(self):
        emblem = prepare_emblem(encoded(noise("RGB", (900, 700)), "PNG"))
        image = reopened(emblem.content)
        self.assertEqual((emblem.content_type, image.format, image.mode), ("image/jpeg", "JPEG", "RGB"))
        self.assertEqual(max(image.size), MAX_SIDE)
        self.assertLessEqual(len(emblem.content), MAX_STORED_BYTES)

    def test_noisy_transparency_is_shrunk_until_it_fits(self):
        emblem = prepare_emblem(encoded(noise("RGBA", (700, 700)), "PNG"))
        image = reopened(emblem.content)
        self.assertEqual(image.mode, "RGBA")
        self.assertLess(max(image.size), MAX_SIDE)
        self.assertLessEqual(len(emblem.content), MAX_STORED_BYTES)

    def test_cmyk_jpeg_is_converted_to_rgb(self):
        emblem = prepare_emblem(encoded(Image.new("CMYK", (80, 80), (0, 255, 255, 0)), "JPEG"))
        image = reopened(emblem.content).convert("RGB")
        red, green, blue = image.getpixel((40, 40))
        self.assertGreater(red, 200)
        self.assertLess(max(green, blue), 60)

    def test_sixteen_bit_png_is_scaled_not_clipped(self):
        source = Image.new("I;16", (64, 64))
        source.putdata([(x * 1000) % 65536 for x in range(64 * 64)])
        emblem = prepare_emblem(encoded(source, "PNG"))
        low, high = reopened(emblem.content).convert("L").getextrema()
        self.assertLess(low, 20)
        self.assertGreater(high, 230)

    def test_palette_png_with_transparency_keeps_it(self):
        source = Image.new("P", (60, 60), 0)
        source.putpalette([255, 255, 255, 140, 20, 20] + [0] * 762)
        ImageDraw.Draw(source).ellipse((10, 10, 50, 50), fill=1)
        emblem = prepare_emblem(encoded(source, "PNG", transparency=0))
        image = reopened(emblem.content)
        self.assertEqual(image.mode, "RGBA")
        self.assertEqual(image.getpixel((0, 0))[3], 0)
        self.assertEqual(image.getpixel((30, 30)), (140, 20, 20, 255))

    def test_opaque_alpha_is_dropped(self):
        emblem = prepare_emblem(encoded(Image.new("RGBA", (50, 50), (1, 2, 3, 255)), "PNG"))
        self.assertEqual(reopened(emblem.content).mode, "RGB")

    def test_the_type_comes_from_the_content_not_the_name(self):
        # prepare_emblem never sees a name; a JPEG is a JPEG whatever the upload called it.
        emblem = prepare_emblem(encoded(Image.new("RGB", (50, 50), "navy"), "JPEG"))
        self.assertEqual(reopened(emblem.content).size, (50, 50))

    def test_the_largest_stored_emblem_fits_the_pdf_fetchers_data_url_limit(self):
        self.assertLessEqual(MAX_STORED_BYTES, MAX_DATA_URL_BYTES)
        url = "data:image/png;base64," + base64.b64encode(b"\0" * MAX_STORED_BYTES).decode()
        self.assertEqual(len(parse_data_url(url)[1]), MAX_STORED_BYTES)


# --- the organisation page ----------------------------------------------------------------------


def upload(data: bytes, name: str = "emblem.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


class EmblemPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.audrey = make_user("audrey", role=Membership.Role.AUDITOR)
        AuditorAssignment.objects.create(user=cls.audrey, organization=cls.alpha)
        cls.url = "/organizations/ALPHA/"

    def post(self, user, data: dict):
        self.client.force_login(user)
        return self.client.post(self.url, data)

    def emblem_events(self):
        return AuditEvent.objects.filter(object_type="ita.organization", changes__has_key="emblem_sha256")

    def test_home_links_to_the_page(self):
        self.client.force_login(self.alice)
        self.assertContains(self.client.get("/"), 'href="/organizations/ALPHA/"')

    def test_staff_upload_replace_and_remove_each_recorded(self):
        self.client.force_login(self.alice)
        page = self.client.get(self.url)
        self.assertContains(page, "ข้อมูลหน่วยงาน")
        self.assertContains(page, 'enctype="multipart/form-data"')
        self.assertContains(page, "csrfmiddlewaretoken")
        response = self.post(self.alice, {"emblem": upload(seal_png())})
        self.assertRedirects(response, self.url)
        stored = OrganizationEmblem.objects.get(organization=self.alpha)
        self.assertEqual((stored.content_type, stored.width, stored.height), ("image/png", MAX_SIDE, MAX_SIDE))
        self.assertContains(self.client.get(self.url), 'src="data:image/png;base64,')
        first = self.emblem_events().get()
        self.assertEqual((first.source, first.user, first.organization_id), (Source.FORM, self.alice, self.alpha.pk))
        self.assertEqual(first.changes["emblem_sha256"]["new"], stored.sha256)
        self.assertNotIn(base64.b64encode(bytes(stored.content)[:30]).decode(), str(first.changes))

        self.post(self.alice, {"emblem": upload(seal_png(400))})  # same picture, smaller file: a new image
        self.assertEqual(self.emblem_events().count(), 2)
        self.post(self.alice, {"action": "remove"})
        self.assertFalse(OrganizationEmblem.objects.exists())
        self.assertIsNone(self.emblem_events().order_by("-pk").first().changes["emblem_sha256"]["new"])

    def test_the_same_image_twice_records_once(self):
        self.post(self.alice, {"emblem": upload(seal_png())})
        self.post(self.alice, {"emblem": upload(seal_png())})
        self.assertEqual(self.emblem_events().count(), 1)

    def test_executive_may_upload(self):
        self.assertRedirects(self.post(self.bob, {"emblem": upload(seal_png())}), self.url)
        self.assertTrue(OrganizationEmblem.objects.filter(organization=self.alpha).exists())

    def test_every_bad_file_is_a_thai_form_error(self):
        cases = {
            "empty": b"",
            "gif": encoded(Image.new("RGB", (20, 20)), "GIF"),
            "svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            "truncated": encoded(noise("RGB", (200, 200)), "PNG")[:500],
            "bomb": png_header_only(100_000, 100_000),
            "too large": b"\xff\xd8\xff" + b"\0" * MAX_UPLOAD_BYTES,
        }
        for name, data in cases.items():
            with self.subTest(name):
                response = self.post(self.alice, {"emblem": upload(data, name="ตรา.png")})
                self.assertEqual(response.status_code, 200)
                errors = response.context["form"].errors["emblem"]
                self.assertTrue(errors and all(any("\u0e00" <= c <= "\u0e7f" for c in e) for e in errors), errors)
        response = self.post(self.alice, {})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["emblem"])
        self.assertFalse(OrganizationEmblem.objects.exists())
        self.assertFalse(self.emblem_events().exists())

    def test_another_organisation_cannot_see_or_change_it(self):
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        response = self.post(self.charlie, {"emblem": upload(seal_png())})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.post(self.charlie, {"action": "remove"}).status_code, 404)
        self.assertFalse(OrganizationEmblem.objects.exists())

    def test_an_assigned_auditor_sees_it_but_cannot_change_it(self):
        self.client.force_login(self.audrey)
        page = self.client.get(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'enctype="multipart/form-data"')
        self.assertEqual(self.post(self.audrey, {"emblem": upload(seal_png())}).status_code, 403)
        self.assertFalse(OrganizationEmblem.objects.exists())

    def test_an_organisation_named_in_the_body_is_ignored(self):
        self.post(self.alice, {"emblem": upload(seal_png()), "organization": self.beta.pk, "code": "BETA"})
        self.assertEqual(list(OrganizationEmblem.objects.values_list("organization", flat=True)), [self.alpha.pk])

    def test_policy(self):
        allowed = {
            name
            for name, user in {"root": self.root, "alice": self.alice, "bob": self.bob, "audrey": self.audrey}.items()
            if policy.can(user, policy.Action.EDIT_ORGANIZATION, self.alpha)
        }
        self.assertEqual(allowed, {"root", "alice", "bob"})
        self.assertFalse(policy.can(self.charlie, policy.Action.EDIT_ORGANIZATION, self.alpha))

    def test_removing_nothing_changes_nothing(self):
        self.assertFalse(replace_emblem(self.alpha, None, user=self.alice))
        self.assertFalse(self.emblem_events().exists())


# --- the admin ----------------------------------------------------------------------------------


class EmblemAdminTests(BaseTestCase):
    def change(self, **extra):
        self.client.force_login(self.root)
        data = {
            "code": self.alpha.code,
            "name": self.alpha.name,
            "org_type": self.alpha.org_type,
            "district": self.alpha.district,
            "province": self.alpha.province,
            "phone": "",
            "website": "",
            "_save": "บันทึก",
            **extra,
        }
        return self.client.post(f"/admin/ita/organization/{self.alpha.pk}/change/", data)

    def test_the_admin_checks_the_file_too(self):
        for data in (encoded(Image.new("RGB", (20, 20)), "GIF"), png_header_only(100_000, 100_000), b""):
            response = self.change(emblem_file=upload(data))
            self.assertEqual(response.status_code, 200)
            self.assertTrue(response.context["adminform"].form.errors["emblem_file"])
        self.assertFalse(OrganizationEmblem.objects.exists())

    def test_the_admin_sets_previews_and_removes_it_with_history(self):
        self.assertEqual(self.change(emblem_file=upload(seal_png())).status_code, 302)
        stored = OrganizationEmblem.objects.get(organization=self.alpha)
        self.assertLessEqual(max(stored.width, stored.height), MAX_SIDE)
        page = self.client.get(f"/admin/ita/organization/{self.alpha.pk}/change/")
        self.assertContains(page, 'src="data:image/png;base64,')
        self.assertContains(page, 'enctype="multipart/form-data"')
        event = AuditEvent.objects.get(changes__has_key="emblem_sha256")
        self.assertEqual((event.source, event.changes["emblem_sha256"]["new"]), (Source.ADMIN, stored.sha256))
        self.assertEqual(self.change(emblem_remove="on").status_code, 302)
        self.assertFalse(OrganizationEmblem.objects.exists())
        self.assertEqual(AuditEvent.objects.filter(changes__has_key="emblem_sha256").count(), 2)

    def test_upload_and_remove_together_is_an_error(self):
        response = self.change(emblem_file=upload(seal_png()), emblem_remove="on")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(OrganizationEmblem.objects.exists())
