from django.test import override_settings

from ita.linkcheck.settings import policy_from_settings


def test_policy_from_settings_names_the_site_and_keeps_loopback_off_by_default(settings):
    policy = policy_from_settings()
    assert policy.allow_loopback is False
    assert policy.user_agent == f"ITA-Measures-LinkCheck/1 (+{settings.SITE_URL})"
    with override_settings(LINKCHECK_ALLOW_LOOPBACK=True):
        assert policy_from_settings().allow_loopback is True
