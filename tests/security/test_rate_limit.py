"""The rate limit cannot be dodged with X-Forwarded-For: by default no proxy is trusted, so
the key is the TCP peer; only a listed proxy's header is believed (issue #14, item 4)."""

from __future__ import annotations

import httpx

from bench.fuzz import fuzz_settings, live_server
from kringwijs.settings import Settings

CRITERIA = "/api/v1/criteria?product_group=catering"


def _statuses(url: str, n: int) -> list[int]:
    with httpx.Client(base_url=url, timeout=30) as client:
        return [client.get(CRITERIA, headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(n)]


def test_new_forwarded_for_per_request_still_gets_429(settings: Settings, assistant) -> None:
    config = fuzz_settings(settings, rate_limit_per_minute=3)
    assert config.trusted_proxies == []
    with live_server(config, assistant) as server:
        statuses = _statuses(server.url, 6)
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429, 429]


def test_a_trusted_proxy_passes_the_client_address_on(settings: Settings, assistant) -> None:
    config = fuzz_settings(settings, rate_limit_per_minute=3, trusted_proxies=["127.0.0.1"])
    with live_server(config, assistant) as server:
        statuses = _statuses(server.url, 6)  # six different clients behind the proxy
        with httpx.Client(base_url=server.url, timeout=30) as client:
            same = [client.get(CRITERIA, headers={"X-Forwarded-For": "198.51.100.7"}).status_code for _ in range(4)]
    assert statuses == [200] * 6
    assert same == [200, 200, 200, 429]  # one client behind the proxy is still limited
