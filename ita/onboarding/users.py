"""User accounts with their organisation and role, from a spreadsheet; never a password.

A new user is created with an unusable password and receives a Thai e-mail with a link to set one
(Django's password reset token, built on SITE_URL), sent after the import commits, only when it is
confirmed. A file with a password column is refused whole. Administrators' accounts are not
changed from a file. A role change is applied and audited; an auditor who still has organisations
assigned keeps the role until the assignments are removed (/accounts/auditors/).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from import_export import fields

from ita import audit
from ita.models import AuditorAssignment, Membership, Organization, Source
from ita.onboarding.base import ChoiceWidget, ThaiResource
from ita.thai import format_number

logger = logging.getLogger(__name__)
User = get_user_model()


class UserResource(ThaiResource):
    """One row per user, matched on the username; the organisation by its code, the role by label or value."""

    organization = fields.Field(column_name=str(Organization._meta.get_field("code").verbose_name))
    role = fields.Field(
        column_name=str(Membership._meta.get_field("role").verbose_name), widget=ChoiceWidget(Membership.Role.choices)
    )
    code_columns = ("organization",)
    forbidden_columns = ("password", "รหัสผ่าน")

    class Meta:
        model = User
        name = "บัญชีผู้ใช้"
        fields = ("username", "first_name", "last_name", "email", "organization", "role")
        import_id_fields = ("username",)

    def get_queryset(self):
        return User.objects.select_related("membership__organization").order_by("username")

    def header_aliases(self) -> dict[str, str]:
        column = self.fields["organization"].column_name
        return {**super().header_aliases(), "organization_code": column}

    # --- export -------------------------------------------------------------------------------

    def dehydrate_organization(self, user) -> str:
        membership = getattr(user, "membership", None)
        return membership.organization.code if membership is not None and membership.organization else ""

    def dehydrate_role(self, user) -> str:
        membership = getattr(user, "membership", None)
        return membership.get_role_display() if membership is not None else ""

    # --- import -------------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs) -> None:
        super().before_import(dataset, **kwargs)
        column = self.fields["organization"].column_name
        codes = {row.get(column) for row in dataset.dict} if column in (dataset.headers or []) else set()
        self._organizations = {org.code: org for org in Organization.objects.filter(code__in=codes - {""})}
        self._new_users: list = []

    def import_instance(self, instance, row, **kwargs) -> None:
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.pk is not None and instance.is_superuser:
            errors.setdefault("username", []).append(gettext("บัญชีผู้ดูแลระบบแก้ไขจากไฟล์ไม่ได้"))
        if instance.pk is None:
            instance.set_unusable_password()  # before validation: the model requires a password value
        if instance.pk is None and not instance.email:
            errors.setdefault("email", []).append(gettext("ผู้ใช้ใหม่ต้องมีอีเมล เพื่อรับลิงก์ตั้งรหัสผ่าน"))
        try:
            instance.wanted_membership = self.wanted_membership(instance, row)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def wanted_membership(self, user, row) -> tuple[Organization | None, str]:
        """(organisation, role) the row asks for; ValidationError naming the column that is wrong."""
        current = getattr(user, "membership", None) if user.pk is not None else None
        raw_role = row.get(self.fields["role"].column_name)
        if raw_role in (None, ""):
            role = current.role if current is not None else Membership.Role.STAFF
        else:
            try:
                role = self.fields["role"].widget.clean(raw_role)
            except ValueError as error:
                raise ValidationError({"role": str(error)}) from error
        code = row.get(self.fields["organization"].column_name) or ""
        if role == Membership.Role.AUDITOR:
            if code:
                raise ValidationError(
                    {"organization": gettext("ผู้ตรวจสอบไม่สังกัดหน่วยงาน (มอบหมายหน่วยงานได้ที่หน้ามอบหมายผู้ตรวจสอบ)")}
                )
            return None, role
        if current is not None and current.role == Membership.Role.AUDITOR:
            if AuditorAssignment.objects.filter(user=user).exists():
                raise ValidationError(
                    {"role": gettext("ผู้ใช้นี้ยังได้รับมอบหมายให้ตรวจสอบหน่วยงานอยู่ โปรดยกเลิกการมอบหมายก่อนเปลี่ยนบทบาท")}
                )
        if not code:
            raise ValidationError({"organization": gettext("ต้องระบุรหัสหน่วยงานของเจ้าหน้าที่และผู้บริหาร")})
        organization = self._organizations.get(code)
        if organization is None:
            raise ValidationError({"organization": gettext("ไม่พบหน่วยงานรหัส “%(code)s” ในระบบ") % {"code": code}})
        return organization, role

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        current = getattr(original, "membership", None) if original.pk is not None else None
        wanted = getattr(instance, "wanted_membership", None)
        return current is not None and wanted == (current.organization, current.role)

    def before_save_instance(self, instance, row, **kwargs) -> None:
        if instance.pk is None:
            self._new_users.append(instance)

    def after_save_instance(self, instance, row, **kwargs) -> None:
        organization, role = instance.wanted_membership
        membership = Membership.objects.filter(user=instance).first()
        fields = ["organization", "role"]
        before = audit.snapshot(membership, fields) if membership is not None else {}
        if membership is None:
            membership = Membership(user=instance)
        membership.organization, membership.role = organization, role
        after = audit.snapshot(membership, fields)
        if before == after:
            return
        membership.save()
        instance.membership = membership
        summary = gettext("%(verb)sสังกัดและบทบาทของ “%(user)s” จากไฟล์ %(file)s") % {
            "verb": gettext("กำหนด") if not before else gettext("เปลี่ยน"),
            "user": instance.get_username(),
            "file": kwargs.get("file_name") or "-",
        }
        self._events.append(
            audit.build(
                action="update" if before else "create",
                obj=membership,
                user=kwargs.get("user"),
                source=Source.IMPORT,
                changes=audit.model_diff(Membership, before, after),
                summary=summary,
            )
        )

    def after_import(self, dataset, result, **kwargs) -> None:
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        user_ids = [user.pk for user in self._new_users]
        if user_ids:
            transaction.on_commit(lambda: send_set_password_emails(user_ids))


def send_set_password_email(user) -> None:
    """The Thai e-mail with a one-time link to set the first password (Django's reset token, SITE_URL)."""
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "site_url": settings.SITE_URL,
        "valid_hours": format_number(max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)),
    }
    subject = "".join(render_to_string("registration/set_password_subject.txt", context).splitlines())
    body = render_to_string("registration/set_password_email.txt", context)
    send_mail(subject, body, None, [user.email])


def send_set_password_emails(user_ids: list[int]) -> None:
    """One e-mail per new user; a mail server failure is logged and the others are still sent."""
    for user in User.objects.filter(pk__in=user_ids).order_by("pk"):
        try:
            send_set_password_email(user)
        except Exception:
            logger.exception("set-password e-mail to user %s failed", user.pk)
