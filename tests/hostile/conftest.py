"""Fixtures the hostile tests share."""

from __future__ import annotations

import ipaddress

import pytest

import reader.connections


@pytest.fixture
def public_127_0_0_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """127.0.0.2 counts as a public address (a server on the internet); 127.0.0.1 stays
    loopback. Neither through the tests' dead proxy."""
    real_is_public = reader.connections.is_public

    def public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return str(address) == "127.0.0.2" or real_is_public(address)

    monkeypatch.setattr(reader.connections, "is_public", public)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,127.0.0.2,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,127.0.0.2,localhost")
