"""Accessibility basics and CSP compatibility of every page that exists now.

Each page: `lang="th"`, one <h1>, every input labelled, unique ids, images with alt text, and
nothing the Content-Security-Policy would block (inline scripts, styles, event handlers).
"""

import re
from pathlib import Path

from django.core import mail
from django.urls import reverse

from tests.base import BaseTestCase
from tests.factory import make_user

from .html_audit import audit

ROOT = Path(__file__).resolve().parents[2]


class PageAuditTests(BaseTestCase):
    def pages(self):
        """(description, user or None, url) for every page a person can reach today."""
        nobody = make_user("nomember")
        return [
            ("login", None, reverse("login")),
            ("password reset", None, reverse("password_reset")),
            ("password reset sent", None, reverse("password_reset_done")),
            ("password reset complete", None, reverse("password_reset_complete")),
            ("bad reset link", None, reverse("password_reset_confirm", args=["MQ", "set-password"])),
            ("password change", self.alice, reverse("password_change")),
            ("password changed", self.alice, reverse("password_change_done")),
            ("staff home", self.alice, reverse("ita:home")),
            ("executive home", self.bob, reverse("ita:home")),
            ("no membership home", nobody, reverse("ita:home")),
            ("administrator home", self.root, reverse("ita:home")),
            ("assessment, editable", self.alice, reverse("ita:assessment_detail", args=[self.alpha_2564.pk])),
            ("assessment, read only", self.bob, reverse("ita:assessment_detail", args=[self.alpha_2564.pk])),
        ]

    def fetch(self, user, url):
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response.content.decode()

    def test_every_page_passes_the_audit(self):
        for name, user, url in self.pages():
            with self.subTest(page=name):
                result = audit(self.fetch(user, url))
                self.assertEqual(result.lang, "th")
                self.assertEqual(result.h1_count, 1)
                self.assertEqual(result.unlabelled(), [])
                self.assertEqual(result.duplicate_ids(), [])
                self.assertEqual(result.images_without_alt, [])
                self.assertEqual(result.csp_problems, [])

    def test_the_assessment_form_has_every_score_input_labelled(self):
        result = audit(self.fetch(self.alice, reverse("ita:assessment_detail", args=[self.alpha_2564.pk])))
        score_inputs = [c for c in result.controls if c.get("class") == "score-input"]
        # 5 tool scores, 10 indicators, every item of the framework, and the official overall score.
        self.assertEqual(len(score_inputs), 5 + 10 + self.framework.items.count() + 1)
        self.assertEqual(result.unlabelled(), [])

    def test_a_valid_reset_link_page_passes_too(self):
        self.alice.email = "alice@alpha.go.th"
        self.alice.save()
        self.client.post(reverse("password_reset"), {"email": "alice@alpha.go.th"})
        path = re.search(r"(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
        page = self.client.get(path, follow=True)
        result = audit(page.content.decode())
        self.assertEqual(len(result.controls), 2)
        self.assertEqual(result.unlabelled(), [])
        self.assertEqual(result.csp_problems, [])
        self.assertIn('aria-describedby="password-rules"', page.content.decode())

    def test_login_errors_are_announced(self):
        response = self.client.post(reverse("login"), {"username": "alice", "password": "wrong"})
        self.assertContains(response, 'role="alert"')

    def test_the_audit_itself_catches_problems(self):
        # Guard against an audit that passes everything.
        bad = audit(
            '<html><body><h1>a</h1><h1>b</h1><input name="q" id="q"><select id="s"></select>'
            '<script>alert(1)</script><p style="color:red" onclick="x()">x</p><img src="a.png">'
            '<label for="s">ok</label><label><input name="wrapped"></label><i id="d"></i><i id="d"></i></body></html>'
        )
        self.assertIsNone(bad.lang)
        self.assertEqual(bad.h1_count, 2)
        self.assertEqual(bad.unlabelled(), ["q"])
        self.assertEqual(bad.duplicate_ids(), ["d"])
        self.assertEqual(bad.images_without_alt, ["a.png"])
        self.assertEqual(len(bad.csp_problems), 3)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_palette_meets_wcag_aa_contrast():
    css = (ROOT / "static" / "css" / "app.css").read_text()
    palette = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;", css))
    palette["white"], palette["black"] = "#ffffff", "#000000"
    text_pairs = [  # (text, background) as app.css combines them
        ("ink", "paper"), ("ink", "card"), ("ink-soft", "paper"), ("ink-soft", "card"),
        ("accent", "card"), ("accent", "paper"), ("accent", "info-bg"), ("brand", "card"),
        ("white", "accent"), ("white", "brand"), ("white", "brand-dark"), ("error", "error-bg"),
        ("error", "card"), ("warn", "warn-bg"), ("ok", "ok-bg"), ("ink", "info-bg"), ("black", "focus"),
    ]  # fmt: skip
    for text, background in text_pairs:
        ratio = contrast(palette[text], palette[background])
        assert ratio >= 4.5, f"{text} on {background}: {ratio:.2f} < 4.5"
    # The focus ring must stand out from the page and from the header it also appears on.
    assert contrast(palette["focus"], palette["brand"]) >= 3
    assert contrast(palette["brand-dark"], palette["paper"]) >= 3
