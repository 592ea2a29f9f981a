"""The default storage keeps uploaded files in the database (ita.storage.files.DatabaseStorage)."""

from datetime import timedelta

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.test import TestCase
from django.utils import timezone

from ita.models import StoredFile
from ita.storage.files import DatabaseStorage


class DatabaseStorageTests(TestCase):
    def setUp(self):
        self.storage = DatabaseStorage()

    def test_the_default_storage_is_the_database(self):
        self.assertIsInstance(storages["default"], DatabaseStorage)

    def test_saved_bytes_come_back_whole_and_are_a_row(self):
        data = bytes(range(256)) * 40
        name = default_storage.save("attachments/2568/แผน.pdf", ContentFile(data))
        self.assertEqual(name, "attachments/2568/แผน.pdf")
        with default_storage.open(name) as handle:
            self.assertEqual(handle.read(), data)
        row = StoredFile.objects.get(name=name)
        self.assertEqual((row.size, bytes(row.content)), (len(data), data))
        self.assertTrue(default_storage.exists(name))
        self.assertEqual(default_storage.size(name), len(data))

    def test_text_content_is_stored_as_utf8(self):
        name = self.storage.save("notes/บันทึก.txt", ContentFile("ความโปร่งใส"))
        self.assertEqual(self.storage.open(name).read(), "ความโปร่งใส".encode())

    def test_a_taken_name_gets_a_new_one_and_the_first_file_stays(self):
        first = self.storage.save("a/report.pdf", ContentFile(b"one"))
        second = self.storage.save("a/report.pdf", ContentFile(b"two"))
        self.assertNotEqual(first, second)
        self.assertRegex(second, r"^a/report_[A-Za-z0-9]{7}\.pdf$")
        self.assertEqual(self.storage.open(first).read(), b"one")
        self.assertEqual(self.storage.open(second).read(), b"two")

    def test_a_name_taken_between_choosing_and_writing_is_chosen_again(self):
        # Another process saved the same name after this one checked it was free.
        StoredFile.objects.create(name="race.txt", content=b"theirs", size=6)
        name = self.storage._save("race.txt", ContentFile(b"ours"))
        self.assertNotEqual(name, "race.txt")
        self.assertEqual(self.storage.open("race.txt").read(), b"theirs")
        self.assertEqual(self.storage.open(name).read(), b"ours")

    def test_names_that_leave_the_storage_are_refused(self):
        for name in ("../secret.txt", "a/../../secret.txt", "/etc/passwd"):
            with self.subTest(name=name), self.assertRaises(SuspiciousFileOperation):
                self.storage.save(name, ContentFile(b"x"))
        self.assertFalse(StoredFile.objects.exists())

    def test_backslashes_become_slashes(self):
        self.assertEqual(self.storage.save("a\\b.txt", ContentFile(b"x")), "a/b.txt")

    def test_a_long_name_is_shortened_to_fit_the_column(self):
        name = self.storage.save("x/" + "ก" * 400 + ".pdf", ContentFile(b"x"))
        self.assertLessEqual(len(name), 255)
        self.assertTrue(name.startswith("x/ก") and name.endswith(".pdf"))
        self.assertEqual(self.storage.open(name).read(), b"x")

    def test_missing_files(self):
        self.assertFalse(self.storage.exists("none.txt"))
        self.storage.delete("none.txt")  # no error, like the file system storage
        with self.assertRaises(FileNotFoundError):
            self.storage.open("none.txt")
        with self.assertRaises(FileNotFoundError):
            self.storage.size("none.txt")
        with self.assertRaises(FileNotFoundError):
            self.storage.get_modified_time("none.txt")

    def test_delete_removes_the_row(self):
        name = self.storage.save("gone.txt", ContentFile(b"x"))
        self.storage.delete(name)
        self.assertFalse(self.storage.exists(name))
        self.assertFalse(StoredFile.objects.filter(name=name).exists())

    def test_files_are_opened_for_reading_only(self):
        name = self.storage.save("ro.txt", ContentFile(b"x"))
        for mode in ("wb", "ab", "r+b", "w"):
            with self.subTest(mode=mode), self.assertRaises(ValueError):
                self.storage.open(name, mode)

    def test_there_is_no_public_url_and_no_local_path(self):
        name = self.storage.save("private.pdf", ContentFile(b"x"))
        self.assertIsNone(self.storage.url(name))
        with self.assertRaises(NotImplementedError):
            self.storage.path(name)

    def test_listdir_lists_one_level(self):
        for name in ("docs/a.pdf", "docs/b.pdf", "docs/2568/c.pdf", "docs/2567/d.pdf", "other/e.pdf"):
            self.storage.save(name, ContentFile(b"x"))
        self.assertEqual(self.storage.listdir("docs"), (["2567", "2568"], ["a.pdf", "b.pdf"]))
        self.assertEqual(self.storage.listdir(""), (["docs", "other"], []))

    def test_times_are_when_the_file_was_saved(self):
        before = timezone.now()
        name = self.storage.save("t.txt", ContentFile(b"x"))
        created = self.storage.get_created_time(name)
        self.assertTrue(before <= created <= timezone.now() + timedelta(seconds=1))
        self.assertEqual(self.storage.get_modified_time(name), created)
