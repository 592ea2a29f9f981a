"""SECURITY.md B6: what the checker refuses, and that a refused address is never connected to."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from ita.linkcheck import Policy, check
from ita.linkcheck.addresses import address_allowed
from ita.linkcheck.verdict import GREEN, RED

YEAR = 2568
STRICT = Policy()  # production: no loopback


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.go.th/plan.pdf", "refused_scheme"),
        ("file:///etc/passwd", "refused_scheme"),
        ("javascript:alert(1)", "refused_scheme"),
        ("http://user:secret@example.go.th/", "refused_userinfo"),
        ("http://user@example.go.th/", "refused_userinfo"),
        ("http://example.go.th:99999/", "bad_url"),
        ("http:///path-only", "bad_url"),
        ("http://127.0.0.1/", "refused_address"),
        ("http://[::1]/", "refused_address"),
        ("http://10.0.0.1/", "refused_address"),
        ("http://192.168.1.1/", "refused_address"),
        ("http://169.254.169.254/latest/meta-data/", "refused_address"),
        ("http://[::ffff:127.0.0.1]/", "refused_address"),
        ("http://0.0.0.0/", "refused_address"),
    ],
)
def test_refused_urls_are_red_and_make_no_connection(url, reason, connections):
    result = check(url, fiscal_year=YEAR, policy=STRICT)
    assert (result.verdict, result.reason) == (RED, reason)
    assert result.reason_text
    assert connections == []


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.1", "169.254.169.254", "100.64.0.1", "fd00:ec2::254"])
def test_a_name_resolving_to_an_inner_address_is_refused_before_connecting(address, dns, connections):
    dns["intranet.example.go.th"] = [address]
    result = check("http://intranet.example.go.th/", fiscal_year=YEAR, policy=STRICT)
    assert (result.verdict, result.reason) == (RED, "refused_address")
    assert connections == []


def test_one_inner_address_among_public_ones_refuses_the_name(dns, connections):
    dns["mixed.example.go.th"] = ["8.8.8.8", "10.0.0.1"]
    assert check("http://mixed.example.go.th/", fiscal_year=YEAR, policy=STRICT).reason == "refused_address"
    assert connections == []


def test_a_public_address_on_another_port_is_refused(dns, connections):
    dns["odd.example.go.th"] = ["8.8.8.8"]
    assert check("http://odd.example.go.th:8080/", fiscal_year=YEAR, policy=STRICT).reason == "refused_port"
    assert connections == []


def test_loopback_name_is_refused_without_the_setting_even_when_a_site_is_there(site, dns, connections):
    dns["oit.example.go.th"] = ["127.0.0.1"]
    port = site.server_address[1]
    result = check(f"http://oit.example.go.th:{port}/year-thai", fiscal_year=YEAR, policy=STRICT)
    assert result.reason == "refused_address"
    assert connections == []
    assert site.requests == []


@pytest.mark.parametrize("path", ["/to-private", "/to-metadata"])
def test_redirect_to_an_inner_address_is_refused_with_loopback_allowed(site, loopback, connections, path):
    result = check(f"{site.root}{path}", fiscal_year=YEAR, policy=loopback)
    assert (result.verdict, result.reason) == (RED, "refused_address")
    assert {host for host, _port in connections} == {"127.0.0.1"}  # only the first hop connected


def test_redirect_to_a_name_resolving_inside_is_refused(site, loopback, dns, connections, monkeypatch):
    from tests.ita.linkcheck import site as pages

    dns["cms.example.go.th"] = ["192.168.10.5"]
    monkeypatch.setitem(pages.PAGES, "/moved", (301, {"Location": "http://cms.example.go.th/plan"}, b""))
    result = check(f"{site.root}/moved", fiscal_year=YEAR, policy=loopback)
    assert result.reason == "refused_address"
    assert {host for host, _port in connections} == {"127.0.0.1"}


def test_unknown_name_is_red():
    result = check("http://no-such-host.invalid/", fiscal_year=YEAR, policy=STRICT)
    assert (result.verdict, result.reason) == (RED, "dns")
    assert "no-such-host.invalid" in result.reason_text


def test_closed_port_is_a_connect_failure(loopback):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert check(f"http://127.0.0.1:{port}/", fiscal_year=YEAR, policy=loopback).reason == "connect"


@pytest.mark.parametrize(
    ("address", "port", "allowed"),
    [
        ("8.8.8.8", 80, ""),
        ("8.8.8.8", 443, ""),
        ("2001:4860:4860::8888", 443, ""),
        ("8.8.8.8", 22, "refused_port"),
        ("172.16.0.1", 80, "refused_address"),
        ("fe80::1", 80, "refused_address"),
        ("224.0.0.1", 80, "refused_address"),
        ("::ffff:10.0.0.1", 80, "refused_address"),
    ],
)
def test_address_rules(address, port, allowed):
    assert address_allowed(ipaddress.ip_address(address), port, STRICT) == allowed


def test_loopback_setting_opens_loopback_only():
    policy = Policy(allow_loopback=True)
    assert address_allowed(ipaddress.ip_address("127.0.0.1"), 8123, policy) == ""
    assert address_allowed(ipaddress.ip_address("10.0.0.1"), 80, policy) == "refused_address"
    assert address_allowed(ipaddress.ip_address("169.254.169.254"), 80, policy) == "refused_address"


# -- Issue 15's SSRF test: a public site that redirects inside, with the production policy ------------


@pytest.fixture
def public_site(site, dns, monkeypatch):
    """The loopback site posing as a public web server: portal.example.go.th resolves to 8.8.8.8, and a
    connection to 8.8.8.8:80 is carried to the site. Returns the record of connections asked for."""
    dns["portal.example.go.th"] = ["8.8.8.8"]
    asked: list[tuple[str, int]] = []
    real = socket.create_connection

    def carry(address, *args, **kwargs):
        asked.append(tuple(address[:2]))
        if tuple(address[:2]) == ("8.8.8.8", 80):
            return real(("127.0.0.1", site.server_address[1]), *args, **kwargs)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", carry)
    return asked


def test_the_public_stand_in_answers_through_the_production_policy(site, public_site):
    # Without this, the refusals below could come from the stand-in rather than from the checker.
    result = check("http://portal.example.go.th/year-thai", fiscal_year=YEAR, policy=STRICT)
    assert (result.verdict, result.reason) == (GREEN, "ok")
    assert public_site == [("8.8.8.8", 80)]


@pytest.mark.parametrize(
    "target",
    ["http://127.0.0.1/year-thai", "http://10.0.0.1/secret", "http://169.254.169.254/latest/meta-data/"],
)
def test_a_public_page_redirecting_inside_is_refused_without_the_setting(site, public_site, monkeypatch, target):
    from tests.ita.linkcheck import site as pages

    monkeypatch.setitem(pages.PAGES, "/moved", (302, {"Location": target}, b""))
    result = check("http://portal.example.go.th/moved", fiscal_year=YEAR, policy=STRICT)
    assert (result.verdict, result.reason) == (RED, "refused_address")
    assert public_site == [("8.8.8.8", 80)]  # the redirect's target was never connected to
    assert [path for path, _headers in site.requests] == ["/moved"]
