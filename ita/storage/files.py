"""Django's default storage in the database: every uploaded file is a StoredFile row.

Web and worker processes then keep nothing on local disk: any number of them, on any machine, see
the same files through the one PostgreSQL, and its backups (scripts/backup.sh) hold the files too.
A file is read and written whole, so this suits the small attachments the app accepts (its forms
limit the size), not video. There is no public URL: `url()` answers None and downloads go through
views that check access first.
"""

from __future__ import annotations

from datetime import datetime

from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.utils.deconstruct import deconstructible

from ita.models.files import NAME_MAX_LENGTH, StoredFile


@deconstructible
class DatabaseStorage(Storage):
    """A Storage whose files are StoredFile rows, named like paths ("attachments/2568/plan.pdf")."""

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        """Django's safe free name (no "..", no absolute path), never longer than the name column."""
        limit = NAME_MAX_LENGTH if max_length is None else min(max_length, NAME_MAX_LENGTH)
        return super().get_available_name(name, max_length=limit)

    def _save(self, name: str, content: File) -> str:
        data = b"".join(chunk.encode() if isinstance(chunk, str) else bytes(chunk) for chunk in content.chunks())
        while True:
            try:
                with transaction.atomic():
                    StoredFile.objects.create(name=name, content=data, size=len(data))
                return name
            except IntegrityError:
                # Another process took the name after get_available_name() chose it: choose again.
                if not self.exists(name):
                    raise
                name = self.get_available_name(name)

    def _open(self, name: str, mode: str = "rb") -> ContentFile:
        if mode != "rb":
            raise ValueError(f"DatabaseStorage opens files for reading bytes only ('rb'), not {mode!r}")
        content = StoredFile.objects.filter(name=name).values_list("content", flat=True).first()
        if content is None:
            raise FileNotFoundError(name)
        return ContentFile(bytes(content), name=name)

    def exists(self, name: str) -> bool:
        return StoredFile.objects.filter(name=name).exists()

    def delete(self, name: str) -> None:
        # Like FileSystemStorage: deleting a file that is not there is no error.
        StoredFile.objects.filter(name=name).delete()

    def size(self, name: str) -> int:
        size = StoredFile.objects.filter(name=name).values_list("size", flat=True).first()
        if size is None:
            raise FileNotFoundError(name)
        return size

    def url(self, name: str | None) -> None:
        """No public address: a file is served only by a view that checked who asks.

        None rather than an error, so that Django's admin file widget (which asks for a URL) still works.
        """
        return None

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        prefix = f"{path.strip('/')}/" if path.strip("/") else ""
        directories, files = set(), []
        for name in StoredFile.objects.filter(name__startswith=prefix).values_list("name", flat=True):
            head, slash, _rest = name.removeprefix(prefix).partition("/")
            if slash:
                directories.add(head)
            else:
                files.append(head)
        return sorted(directories), sorted(files)

    def get_created_time(self, name: str) -> datetime:
        created = StoredFile.objects.filter(name=name).values_list("created", flat=True).first()
        if created is None:
            raise FileNotFoundError(name)
        return created

    def get_modified_time(self, name: str) -> datetime:
        # A stored file is never rewritten in place: saving the same name again makes a new name.
        return self.get_created_time(name)
