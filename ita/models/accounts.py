"""Accounts: the login lockouts django-axes records, under Thai names for the admin."""

from axes.models import AccessAttempt
from django.utils.translation import gettext_lazy as _


class LoginLockout(AccessAttempt):
    """Failed logins of one (username, address) pair, as django-axes counts them; deleting the row lifts a lock."""

    class Meta:
        proxy = True
        verbose_name = _("การเข้าสู่ระบบไม่สำเร็จ")
        verbose_name_plural = _("การเข้าสู่ระบบไม่สำเร็จและการล็อกบัญชี")
