"""Organisations, and who works for or reviews them."""

import base64

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from ita.models.base import AccessFacts

# An organisation code is part of its pages' URLs (/public/organizations/<code>/) and the key every
# import matches on, so it is limited to characters that need no escaping anywhere: English letters,
# digits, "-" and "_". The form validator and the database (organization_code_charset) both hold it;
# \A and \Z mean the same in Python's and PostgreSQL's regular expressions (a "$" would let a
# trailing newline through in Python).
CODE_CHARSET = r"[A-Za-z0-9_-]"
CODE_REGEX = rf"\A{CODE_CHARSET}+\Z"
CODE_MESSAGE = _("รหัสหน่วยงานใช้ได้เฉพาะตัวอักษรภาษาอังกฤษ ตัวเลข เครื่องหมายขีด (-) และขีดล่าง (_) โดยไม่มีช่องว่าง")
validate_code = RegexValidator(CODE_REGEX, message=CODE_MESSAGE, code="code_charset")


class OrganizationManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)

    def for_user(self, user) -> models.QuerySet:
        """Organisations the user may read (ita.policy): their own, assigned ones for auditors, all for admins."""
        return scope(self.get_queryset(), user, organization="pk")

    def with_latest_assessment(self) -> models.QuerySet:
        """Annotate each organisation with its most recent assessment (latest_*), in the same query."""
        # The assessment model through its relation: ita.models.assessments builds on this module.
        assessments = self.model.assessments.rel.related_model.objects
        latest = assessments.filter(organization=OuterRef("pk")).order_by("-fiscal_year")
        return self.get_queryset().annotate(
            latest_assessment_id=Subquery(latest.values("pk")[:1]),
            latest_fiscal_year=Subquery(latest.values("fiscal_year")[:1]),
            latest_overall=Subquery(latest.values("overall")[:1]),
            latest_level=Subquery(latest.values("level")[:1]),
            latest_provisional=Subquery(latest.values("provisional")[:1]),
        )


class Organization(models.Model):
    """An agency assessed by ITA, keyed by a stable code that every import matches on."""

    class Type(models.TextChoices):
        PAO = "pao", _("องค์การบริหารส่วนจังหวัด")
        CITY = "city", _("เทศบาลนคร")
        TOWN = "town", _("เทศบาลเมือง")
        SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality", _("เทศบาลตำบล")
        SAO = "sao", _("องค์การบริหารส่วนตำบล")
        BANGKOK = "bangkok", _("กรุงเทพมหานคร")
        PATTAYA = "pattaya", _("เมืองพัทยา")
        OTHER = "other", _("หน่วยงานอื่น")

    code = models.CharField(_("รหัสหน่วยงาน"), max_length=32, unique=True, validators=[validate_code])
    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=255)
    org_type = models.CharField(_("ประเภท"), max_length=32, choices=Type.choices, default=Type.OTHER)
    district = models.CharField(_("อำเภอ"), max_length=100, blank=True)
    province = models.CharField(_("จังหวัด"), max_length=100, blank=True)
    phone = models.CharField(_("โทรศัพท์"), max_length=64, blank=True)
    website = models.URLField(_("เว็บไซต์"), blank=True)

    objects = OrganizationManager()

    class Meta:
        ordering = ["province", "name"]
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")
        constraints = [models.CheckConstraint(condition=Q(code__regex=CODE_REGEX), name="organization_code_charset")]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.code,)

    def access_facts(self) -> AccessFacts:
        return AccessFacts(self.pk)

    def history_subject(self) -> tuple[str, int | None, int | None]:
        return "organization", self.pk, self.pk


class OrganizationEmblemManager(models.Manager):
    def data_url_for(self, organization_id: int) -> str:
        """The organisation's emblem as a data: URL for a printed document; "" when it has none."""
        emblem = self.filter(organization_id=organization_id).first()
        return emblem.data_url() if emblem is not None else ""


class OrganizationEmblem(models.Model):
    """An organisation's emblem (ตราสัญลักษณ์) as printed on its documents, at most one per organisation.

    Only the re-encoded image is stored (ita.emblems.image), in the database: web and worker keep
    nothing on local disk. It is a row of its own rather than a column of Organization so that the
    image never rides along when other rows are read with their organisation (select_related).
    """

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, primary_key=True, related_name="emblem", verbose_name=_("หน่วยงาน")
    )
    content = models.BinaryField(_("ภาพ"), editable=False)
    content_type = models.CharField(_("ชนิดไฟล์"), max_length=16)
    sha256 = models.CharField(_("SHA-256 ของภาพ"), max_length=64)
    width = models.PositiveIntegerField(_("กว้าง (พิกเซล)"))
    height = models.PositiveIntegerField(_("สูง (พิกเซล)"))
    updated_at = models.DateTimeField(_("แก้ไขเมื่อ"), auto_now=True)

    objects = OrganizationEmblemManager()

    class Meta:
        verbose_name = _("ตราสัญลักษณ์หน่วยงาน")
        verbose_name_plural = _("ตราสัญลักษณ์หน่วยงาน")
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=["image/png", "image/jpeg"]), name="organizationemblem_content_type"
            )
        ]

    def __str__(self) -> str:
        return str(_("ตราสัญลักษณ์ของ%(org)s") % {"org": self.organization_id})

    def data_url(self) -> str:
        return f"data:{self.content_type};base64,{base64.b64encode(bytes(self.content)).decode('ascii')}"

    def history_subject(self) -> tuple[str, int | None, int | None]:
        return "organization", self.organization_id, self.organization_id


class Membership(models.Model):
    """Which organisation a user works for, and in what role. Superusers are administrators."""

    class Role(models.TextChoices):
        STAFF = "staff", _("เจ้าหน้าที่")
        EXECUTIVE = "executive", _("ผู้บริหาร")
        AUDITOR = "auditor", _("ผู้ตรวจสอบ")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name=_("ผู้ใช้")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        null=True,
        blank=True,
        verbose_name=_("หน่วยงาน"),
    )
    role = models.CharField(_("บทบาท"), max_length=16, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = _("สมาชิกหน่วยงาน")
        verbose_name_plural = _("สมาชิกหน่วยงาน")

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.get_role_display()}"

    @staticmethod
    def organization_id_for(user) -> int | None:
        """The id of the organisation a signed-in user works for, or None."""
        if user is None or not user.is_authenticated:
            return None
        membership = getattr(user, "membership", None)
        return membership.organization_id if membership is not None else None


class AuditorAssignment(models.Model):
    """An auditor assigned to review one organisation: they read its drafts too, and never change anything."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="audit_assignments", verbose_name=_("ผู้ใช้")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="auditor_assignments",
        verbose_name=_("หน่วยงาน"),
    )
    assigned_at = models.DateTimeField(_("มอบหมายเมื่อ"), auto_now_add=True)
    note = models.CharField(_("หมายเหตุ"), max_length=255, blank=True)
    # The auditor's reading position: their home lists the organisation's changes after it (ita.todo.changes).
    changes_seen_at = models.DateTimeField(_("รับทราบการเปลี่ยนแปลงถึงเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["user", "organization"]
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="auditorassignment_user_org")]
        verbose_name = _("การมอบหมายผู้ตรวจสอบ")
        verbose_name_plural = _("การมอบหมายผู้ตรวจสอบ")

    def __str__(self) -> str:
        return f"{self.user} → {self.organization}"

    @property
    def changes_since(self):
        """Changes after this moment are new to the auditor: the last "seen" mark, else the assignment."""
        return self.changes_seen_at or self.assigned_at

    def clean(self) -> None:
        membership = Membership.objects.filter(user_id=self.user_id).first()
        if membership is None or membership.role != Membership.Role.AUDITOR:
            raise ValidationError({"user": _("ผู้ใช้นี้ไม่ได้มีบทบาทผู้ตรวจสอบ")})


# --- who a user is to the organisations -------------------------------------------------------
# Read from the membership and the auditors' assignments. ita.policy decides what each standing may
# do; the querysets' for_user() only need "whose rows may this user see", answered here so that no
# model imports the policy.


def membership_of(user) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "membership", None)


def is_administrator(user) -> bool:
    return user is not None and user.is_authenticated and user.is_superuser


def is_auditor(user) -> bool:
    membership = membership_of(user)
    return not is_administrator(user) and membership is not None and membership.role == Membership.Role.AUDITOR


def audited_organization_ids(user) -> frozenset[int]:
    """The organisations an auditor is assigned to review (one query, then remembered on the user object)."""
    if not is_auditor(user):
        return frozenset()
    cached = getattr(user, "_audited_organization_ids", None)
    if cached is None:
        cached = frozenset(AuditorAssignment.objects.filter(user=user).values_list("organization_id", flat=True))
        user._audited_organization_ids = cached
    return cached


def own_organization_id(user) -> int | None:
    """The organisation a staff member or executive works for; None for auditors, administrators and the public."""
    if is_administrator(user) or is_auditor(user):
        return None
    membership = membership_of(user)
    return membership.organization_id if membership is not None else None


def scope(queryset: QuerySet, user, *, organization: str = "organization", published: Q | None = None) -> QuerySet:
    """The rows of `queryset` the user may view, in one query (the auditor's assignments are a subquery).

    `organization` is the lookup path to the row's organisation; `published` the condition under
    which every auditor may read a row (None: such rows do not exist for this model).
    """
    if is_administrator(user):
        return queryset
    if is_auditor(user):
        assigned = AuditorAssignment.objects.filter(user=user).values("organization_id")
        visible = Q(**{f"{organization}__in": assigned})
        return queryset.filter(visible | published if published is not None else visible)
    organization_id = own_organization_id(user)
    if organization_id is None:
        return queryset.none()
    return queryset.filter(**{organization: organization_id})
