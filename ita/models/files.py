"""Files saved through Django's default storage, kept in the database (ita.storage.files.DatabaseStorage)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The longest name a stored file may have; DatabaseStorage shortens longer names to fit.
NAME_MAX_LENGTH = 255


class StoredFile(models.Model):
    """One file's bytes under its storage name: in PostgreSQL, and so in its backups, with everything else."""

    name = models.CharField(_("ชื่อไฟล์"), max_length=NAME_MAX_LENGTH, unique=True)
    content = models.BinaryField(_("เนื้อหาไฟล์"), editable=False)
    size = models.PositiveBigIntegerField(_("ขนาด (ไบต์)"))
    created = models.DateTimeField(_("บันทึกเมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("ไฟล์ที่จัดเก็บ")
        verbose_name_plural = _("ไฟล์ที่จัดเก็บ")

    def __str__(self) -> str:
        return self.name
