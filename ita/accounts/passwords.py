"""Django's password rules with messages in Thai.

Django's own Thai catalogue leaves these messages in English, and staff setting a new password
must understand why it was refused. The rules themselves are Django's, unchanged.
"""

from django.contrib.auth import password_validation as django_rules
from django.utils.translation import gettext as _

from ita.thai import format_number


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return _("รหัสผ่านสั้นเกินไป ต้องยาวอย่างน้อย %(count)s ตัวอักษร") % {"count": format_number(self.min_length)}

    def get_help_text(self) -> str:
        return _("ยาวอย่างน้อย %(count)s ตัวอักษร") % {"count": format_number(self.min_length)}


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return _("รหัสผ่านคล้ายกับ%(verbose_name)sของคุณมากเกินไป")

    def get_help_text(self) -> str:
        return _("ไม่คล้ายกับชื่อผู้ใช้ ชื่อ หรืออีเมลของคุณ")


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("รหัสผ่านนี้ถูกใช้กันทั่วไปและเดาง่าย โปรดเลือกรหัสผ่านอื่น")

    def get_help_text(self) -> str:
        return _("ไม่ใช่รหัสผ่านที่ใช้กันทั่วไป")


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("รหัสผ่านต้องไม่เป็นตัวเลขทั้งหมด")

    def get_help_text(self) -> str:
        return _("ไม่เป็นตัวเลขล้วน")
