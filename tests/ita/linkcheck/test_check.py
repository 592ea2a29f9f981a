"""check(): what one URL on the loopback site answers, and the verdict the rules give it."""

from __future__ import annotations

import datetime

import pytest

from ita.linkcheck import Policy, check
from ita.linkcheck.verdict import AMBER, GREEN, RED

YEAR = 2568


def test_page_naming_the_year_in_thai_digits_is_green_with_its_facts(site, loopback):
    result = check(f"{site.root}/year-thai", fiscal_year=YEAR, policy=loopback)
    assert (result.verdict, result.reason, result.status) == (GREEN, "ok", 200)
    assert result.mentions_year is True
    assert result.final_url == f"{site.root}/year-thai"
    assert result.content_type == "text/html"
    assert result.size == len(site_page("/year-thai"))
    assert result.last_modified == datetime.datetime(2025, 10, 1, 8, 0, tzinfo=datetime.UTC)
    assert "๒๕๖๘" in result.reason_text  # Thai digits, as the interface writes numbers


def site_page(path):
    from tests.ita.linkcheck.site import PAGES

    return PAGES[path][2]


def test_last_years_page_is_amber_even_with_this_years_copyright_and_script(site, loopback):
    result = check(f"{site.root}/last-year", fiscal_year=YEAR, policy=loopback)
    assert (result.verdict, result.reason, result.mentions_year) == (AMBER, "year_missing", False)
    assert "ปีก่อน" in result.reason_text
    assert check(f"{site.root}/last-year", fiscal_year=2567, policy=loopback).verdict == GREEN


def test_not_found_is_red(site, loopback):
    result = check(f"{site.root}/gone", fiscal_year=YEAR, policy=loopback)
    assert (result.verdict, result.reason, result.status) == (RED, "not_found", 404)


def test_error_page_served_with_200_is_amber(site, loopback):
    result = check(f"{site.root}/soft-404", fiscal_year=YEAR, policy=loopback)
    assert (result.verdict, result.reason) == (AMBER, "soft_404")


def test_three_redirects_are_followed_and_a_fourth_is_refused(site, loopback):
    result = check(f"{site.root}/hop/3", fiscal_year=YEAR, policy=loopback)
    assert (result.verdict, result.redirects, result.final_url) == (GREEN, 3, f"{site.root}/year-thai")
    result = check(f"{site.root}/hop/4", fiscal_year=YEAR, policy=loopback)
    assert (result.verdict, result.reason) == (RED, "too_many_redirects")
    assert [path for path, _headers in site.requests][-4:] == ["/hop/4", "/hop/3", "/hop/2", "/hop/1"]


def test_redirect_without_a_target_is_red(site, loopback):
    assert check(f"{site.root}/to-nowhere", fiscal_year=YEAR, policy=loopback).reason == "bad_redirect"


def test_body_is_read_only_up_to_the_cap(site, loopback):
    result = check(f"{site.root}/big", fiscal_year=YEAR, policy=loopback)
    assert result.truncated is True
    assert result.size == len(site_page("/big"))  # what the server declared, not what we read
    # The year sits past the cap: not "last year's page" but "too large to tell".
    assert (result.verdict, result.reason, result.mentions_year) == (AMBER, "too_large", False)
    assert "เนื้อหาใหญ่เกิน ๖๔.๐ กิโลไบต์" in result.reason_text


def test_slow_server_times_out(site):
    policy = Policy(allow_loopback=True, timeout=0.2)
    result = check(f"{site.root}/slow", fiscal_year=YEAR, policy=policy)
    assert (result.verdict, result.reason) == (RED, "timeout")


def test_pdf_text_is_searched_for_the_year(site, loopback):
    result = check(f"{site.root}/report.pdf", fiscal_year=YEAR, policy=loopback)
    assert (result.verdict, result.content_type, result.mentions_year) == (GREEN, "application/pdf", True)
    old = check(f"{site.root}/old.pdf", fiscal_year=YEAR, policy=loopback)
    assert (old.reason, old.mentions_year) == ("year_missing", False)


def test_pdf_cut_at_the_cap_is_too_large_and_a_type_we_cannot_read_is_year_unknown(site, loopback):
    cut = check(f"{site.root}/big.pdf", fiscal_year=YEAR, policy=loopback)
    assert (cut.verdict, cut.reason, cut.mentions_year, cut.truncated) == (AMBER, "too_large", None, True)
    photo = check(f"{site.root}/photo.jpg", fiscal_year=YEAR, policy=loopback)
    assert (photo.verdict, photo.reason, photo.mentions_year) == (AMBER, "year_unknown", None)


def test_redirect_off_the_organisations_host_is_amber(site, loopback, dns):
    dns["www.example-tambon.go.th"] = ["127.0.0.1"]
    dns["elsewhere.example.com"] = ["127.0.0.1"]
    port = site.server_address[1]
    own = check(
        f"http://www.example-tambon.go.th:{port}/hop/1",
        fiscal_year=YEAR,
        policy=loopback,
        expected_host="example-tambon.go.th",
    )
    assert own.verdict == GREEN
    away = check(
        f"http://elsewhere.example.com:{port}/year-thai",
        fiscal_year=YEAR,
        policy=loopback,
        expected_host="example-tambon.go.th",
    )
    assert (away.verdict, away.reason) == (AMBER, "off_host")
    assert "elsewhere.example.com" in away.reason_text


def test_request_names_the_project_and_sends_no_cookie_or_credentials(site, loopback):
    check(f"{site.root}/year-thai", fiscal_year=YEAR, policy=loopback)
    (_path, headers) = site.requests[-1]
    assert headers["user-agent"] == "ITA-Measures-LinkCheck/1 (+test)"
    assert "cookie" not in headers
    assert "authorization" not in headers


def test_connects_to_the_checked_address_and_sends_the_name_as_host(site, loopback, dns, connections):
    dns["oit.example-tambon.go.th"] = ["127.0.0.1"]
    port = site.server_address[1]
    result = check(f"http://oit.example-tambon.go.th:{port}/year-thai", fiscal_year=YEAR, policy=loopback)
    assert result.verdict == GREEN
    assert connections == [("127.0.0.1", port)]
    assert site.requests[-1][1]["host"] == f"oit.example-tambon.go.th:{port}"


def test_ipv6_literal_is_sent_in_brackets(loopback):
    import socket
    import threading

    from tests.ita.linkcheck.site import Site

    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        server = Site(host="::1")
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        port = server.server_address[1]
        result = check(f"http://[::1]:{port}/year-thai", fiscal_year=YEAR, policy=loopback)
        assert result.verdict == GREEN
        assert server.requests[-1][1]["host"] == f"[::1]:{port}"
    finally:
        server.shutdown()
        server.server_close()
