"""check_many(): every URL answered once, never more than two requests at a time per host."""

from __future__ import annotations

import dataclasses

from ita.linkcheck import check_many
from ita.linkcheck.verdict import GREEN, RED


def test_per_host_limit_holds_while_hosts_run_side_by_side(site, loopback, dns):
    names = ["a.example.go.th", "b.example.go.th", "c.example.go.th"]
    for name in names:
        dns[name] = ["127.0.0.1"]
    port = site.server_address[1]
    urls = [f"http://{name}:{port}/wait" for name in names for _ in range(8)]
    policy = dataclasses.replace(loopback, workers=8)
    results = dict(check_many(urls, fiscal_year=2568, policy=policy))
    assert sorted(results) == list(range(len(urls)))
    assert {result.verdict for result in results.values()} == {GREEN}
    assert site.peak == dict.fromkeys(names, 2)  # two at once on each host, never three
    assert site.peak_total > 2  # the hosts were checked side by side


def test_redirect_into_a_busy_host_keeps_the_limit(site, loopback, dns):
    dns["www.example.go.th"] = ["127.0.0.1"]
    port = site.server_address[1]
    urls = [f"{site.root}/hop/2" for _ in range(6)] + [f"http://www.example.go.th:{port}/wait" for _ in range(6)]
    results = dict(check_many(urls, fiscal_year=2568, policy=dataclasses.replace(loopback, workers=8)))
    assert len(results) == 12
    assert max(site.peak.values()) <= 2


def test_refused_and_broken_urls_come_back_in_place(site, loopback):
    urls = ["ftp://example.go.th/", f"{site.root}/year-thai", "http://10.0.0.1/", f"{site.root}/gone"]
    results = dict(check_many(urls, fiscal_year=2568, policy=loopback))
    assert [results[index].verdict for index in range(4)] == [RED, GREEN, RED, RED]
    assert [results[index].url for index in range(4)] == urls


def test_empty_list_gives_nothing(loopback):
    assert list(check_many([], fiscal_year=2568, policy=loopback)) == []
