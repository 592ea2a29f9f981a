"""The OIT evidence checklist: for each OIT item of a year, the URLs an organisation gives ITAS and a note."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ita.models.base import AccessFacts, user_field
from ita.models.frameworks import Framework, Item
from ita.models.organizations import Organization

URLS_MAX = 5
URL_MAX_CHARS = 2000
NOTE_MAX_CHARS = 2000
_is_web_url = URLValidator(schemes=["http", "https"])


def validate_evidence_url(url: object) -> None:
    """One evidence URL: text, http or https, at most URL_MAX_CHARS characters."""
    if not isinstance(url, str) or not url:
        raise ValidationError(_("ลิงก์ต้องเป็นข้อความที่ไม่ว่าง"), code="url_type")
    if len(url) > URL_MAX_CHARS:
        raise ValidationError(_("ลิงก์ยาวเกิน %(max)s ตัวอักษร"), code="url_length", params={"max": f"{URL_MAX_CHARS:,}"})
    try:
        _is_web_url(url)
    except ValidationError:
        raise ValidationError(
            _("'%(url)s' ไม่ใช่ลิงก์เว็บที่ขึ้นต้นด้วย http:// หรือ https://"), code="url_scheme", params={"url": url[:80]}
        ) from None


def validate_evidence_urls(urls: object) -> None:
    """A list of at most URLS_MAX evidence URLs, each valid."""
    if not isinstance(urls, list):
        raise ValidationError(_("รายการลิงก์ไม่ถูกต้อง"), code="urls_type")
    if len(urls) > URLS_MAX:
        raise ValidationError(_("ใส่ลิงก์ได้ไม่เกิน %(max)s ลิงก์ต่อข้อ"), code="urls_count", params={"max": URLS_MAX})
    for url in urls:
        validate_evidence_url(url)


class EvidenceChecklist(models.Model):
    """One organisation's OIT evidence for one fiscal year; `version` guards against lost updates."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="evidence_checklists", verbose_name=_("หน่วยงาน")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="evidence_checklists", verbose_name=_("กรอบการประเมิน")
    )
    version = models.PositiveIntegerField(_("ฉบับที่"), default=0)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุดเมื่อ"), auto_now=True)
    updated_by = user_field(_("แก้ไขล่าสุดโดย"))
    # The link check: when a person last asked for one (the button's cool-down, "checking…") and when
    # the last one finished (beat picks the checklists checked longest ago).
    links_requested_at = models.DateTimeField(_("ขอตรวจลิงก์ล่าสุดเมื่อ"), null=True, blank=True)
    links_checked_at = models.DateTimeField(_("ตรวจลิงก์ล่าสุดเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["organization", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "fiscal_year"], name="evidencechecklist_org_year")
        ]
        verbose_name = _("รายการหลักฐาน OIT")
        verbose_name_plural = _("รายการหลักฐาน OIT")

    def __str__(self) -> str:
        return f"{self.organization} OIT {self.fiscal_year}"

    def access_facts(self) -> AccessFacts:
        return AccessFacts(self.organization_id)


class EvidenceEntry(models.Model):
    """The URLs (at most five, http or https) and note given for one OIT item of a checklist."""

    checklist = models.ForeignKey(
        EvidenceChecklist, on_delete=models.CASCADE, related_name="entries", verbose_name=_("รายการหลักฐาน OIT")
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="evidence_entries", verbose_name=_("ข้อ"))
    urls = models.JSONField(_("ลิงก์หลักฐาน"), default=list, blank=True, validators=[validate_evidence_urls])
    note = models.TextField(_("หมายเหตุ"), max_length=NOTE_MAX_CHARS, blank=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุดเมื่อ"), auto_now=True)
    updated_by = user_field(_("แก้ไขล่าสุดโดย"))

    class Meta:
        ordering = ["checklist", "item__order", "item__code"]
        constraints = [models.UniqueConstraint(fields=["checklist", "item"], name="evidenceentry_checklist_item")]
        verbose_name = _("หลักฐาน OIT รายข้อ")
        verbose_name_plural = _("หลักฐาน OIT รายข้อ")

    def __str__(self) -> str:
        return f"{self.checklist} {self.item.code.upper()}"

    def access_facts(self) -> AccessFacts:
        return self.checklist.access_facts()

    def history_subject(self) -> tuple[str, int | None, int | None]:
        # An entry's changes show on its checklist's history tab.
        return "ita.evidencechecklist", self.checklist_id, self.checklist.organization_id


class LinkCheck(models.Model):
    """The last check of one evidence URL of one item (ita.linkcheck.LinkResult, stored).

    Matched to an entry by the URL itself, so a result never outlives a changed link. Each check of
    a checklist replaces all of its rows in one transaction (no unique index on the URL: a 2,000-
    character Thai URL is beyond what a PostgreSQL b-tree entry holds).
    """

    class Verdict(models.TextChoices):
        GREEN = "green", _("ใช้ได้")
        AMBER = "amber", _("ควรตรวจดู")
        RED = "red", _("ใช้ไม่ได้")

    checklist = models.ForeignKey(
        EvidenceChecklist, on_delete=models.CASCADE, related_name="link_checks", verbose_name=_("รายการหลักฐาน OIT")
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="link_checks", verbose_name=_("ข้อ"))
    url = models.TextField(_("ลิงก์"), max_length=URL_MAX_CHARS)
    checked_at = models.DateTimeField(_("ตรวจเมื่อ"))
    verdict = models.CharField(_("ผลการตรวจ"), max_length=5, choices=Verdict.choices)
    reason = models.CharField(_("รหัสเหตุผล"), max_length=32)
    reason_text = models.CharField(_("เหตุผล"), max_length=300)
    status = models.PositiveSmallIntegerField(_("รหัสตอบกลับ HTTP"), null=True, blank=True)
    final_url = models.TextField(_("ลิงก์ปลายทาง"), blank=True)
    content_type = models.CharField(_("ชนิดเนื้อหา"), max_length=200, blank=True)
    size = models.BigIntegerField(_("ขนาด (ไบต์)"), null=True, blank=True)
    truncated = models.BooleanField(_("อ่านไม่ครบเพราะใหญ่เกิน"), default=False)
    last_modified = models.DateTimeField(_("แก้ไขบนเว็บล่าสุดเมื่อ"), null=True, blank=True)
    mentions_year = models.BooleanField(_("พบปีงบประมาณในเนื้อหา"), null=True, blank=True)
    redirects = models.PositiveSmallIntegerField(_("จำนวนครั้งที่ส่งต่อ"), default=0)
    error = models.CharField(_("รายละเอียดทางเทคนิค"), max_length=500, blank=True)

    class Meta:
        ordering = ["checklist", "item__order", "item__code", "pk"]
        verbose_name = _("ผลตรวจลิงก์ OIT")
        verbose_name_plural = _("ผลตรวจลิงก์ OIT")

    def __str__(self) -> str:
        return f"{self.checklist} {self.item.code.upper()} {self.verdict}"

    def access_facts(self) -> AccessFacts:
        return self.checklist.access_facts()
