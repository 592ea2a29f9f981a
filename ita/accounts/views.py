"""Login and password reset pages: Django's own views, with throttling messages and Thai e-mail."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ita.accounts.resets import reset_mail_allowed
from ita.thai import format_number

# A locked pair gets the login page again, with why, as 429 Too Many Requests.
LOCKED_STATUS = 429


def locked_message() -> str:
    """The Thai message for a (username, address) pair that must wait."""
    minutes = max(1, settings.LOGIN_THROTTLE_LOCKOUT // 60)
    return _(
        "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไปสำหรับชื่อผู้ใช้นี้ โปรดรอประมาณ %(minutes)s นาทีแล้วลองใหม่ หรือตั้งรหัสผ่านใหม่ด้วยลิงก์ “ลืมรหัสผ่าน?”"
    ) % {"minutes": format_number(minutes)}


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form with Thai wording; django-axes counts its failures and refuses locked pairs."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง โปรดตรวจสอบแล้วลองใหม่ (ตัวพิมพ์เล็กและใหญ่ถือว่าต่างกัน)"),
    }


def locked_out(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page, with the username kept and the Thai reason, for any login form."""
    # An unbound form: binding it would authenticate (and count a failure) again.
    form = ThrottledAuthenticationForm(request, initial={"username": request.POST.get("username", "")[:150]})
    context = {"form": form, "next": request.POST.get("next", ""), "locked_message": locked_message()}
    return render(request, "registration/login.html", context, status=LOCKED_STATUS)


PASSWORD_MISMATCH = gettext_lazy("รหัสผ่านทั้งสองช่องไม่ตรงกัน โปรดพิมพ์ให้เหมือนกัน")


class ThaiSetPasswordForm(SetPasswordForm):
    """Django's new-password form, with Thai messages and the rules tied to the first field."""

    error_messages = {**SetPasswordForm.error_messages, "password_mismatch": PASSWORD_MISMATCH}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Screen readers read the rules (rendered with id "password-rules") with the field.
        self.fields["new_password1"].widget.attrs["aria-describedby"] = "password-rules"
        # The labels the page shows are the form's, so the error summary names the fields the same way.
        self.fields["new_password1"].label = _("รหัสผ่านใหม่")
        self.fields["new_password2"].label = _("พิมพ์รหัสผ่านใหม่อีกครั้ง")


class ThaiPasswordChangeForm(ThaiSetPasswordForm, PasswordChangeForm):
    """Django's change-password form (current password first), with the same Thai wording."""

    error_messages = {**PasswordChangeForm.error_messages, "password_mismatch": PASSWORD_MISMATCH}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("รหัสผ่านปัจจุบัน")


class LoginView(auth_views.LoginView):
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """Sends the reset link built from SITE_URL, so a forged Host header cannot redirect it."""

    @property
    def extra_email_context(self) -> dict[str, str]:
        hours = max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)
        return {"site_url": settings.SITE_URL, "valid_hours": format_number(hours)}

    def form_valid(self, form):
        # Over a limit (ita.accounts.resets) nothing is sent, and the answer is the usual "check your mail".
        if not reset_mail_allowed(self.request, form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ThaiSetPasswordForm

    def form_valid(self, form):
        # Someone who has just proved they own the mailbox should not still wait out a lockout.
        axes_reset(username=form.user.get_username().casefold())
        return super().form_valid(form)
