"""The client's address, as far as the proxies the portal trusts can vouch for it.

Anyone can send ``X-Forwarded-For``: it says who the client is only when the proxy that added the
last entry is one of ours. ``TRUSTED_PROXIES`` (settings) lists our proxies as addresses or networks;
empty, no forwarded header is believed and the client is the connecting address. The API's throttles,
the login lockout (django-axes) and gunicorn's access log all ask ``client_ip()``, so that a forged
header escapes none of them and a proxy's address locks nobody out.

It lives in the shared layer (``desmigratif``, beside the logging and the middlewares) because it is
a fact about the HTTP connection, not about accounts: the API, axes' settings and the log formatter
need it, and none of them should import an app for it.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """The networks of ``TRUSTED_PROXIES``; a wrong entry stops the start, naming it."""
    networks = []
    for entry in entries:
        text = str(entry).strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {text!r} is not an IP address or network (e.g. 127.0.0.1, 10.0.0.0/24, ::1); "
                "separate entries with commas.") from None
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(entries)


def _address(text: str) -> Address | None:
    """One address, or None for anything else (a name, ``unknown``, garbage)."""
    text = text.strip()
    # some load balancers append the client's port: "203.0.113.7:5050", "[2001:db8::7]:5050"
    if text.startswith("["):
        text = text[1:text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # a dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d: one client, one spelling
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_address(remote_addr: str | None, forwarded_for: str | None) -> str | None:
    """The client's address from the connecting address and the ``X-Forwarded-For`` value.

    The connecting address, unless it is a trusted proxy; then ``X-Forwarded-For`` is read from the
    right (each proxy appends the address it was reached from), trusted proxies are skipped, and the
    first other address is the client. Entries further left were written by the client itself and are
    never read. An entry that is no address stops the walk at the proxy that passed it on (what lies
    beyond it cannot be vouched for). None when the connection has no IP address (a Unix socket).
    The address is returned in its canonical spelling, so that one client has one throttle and one
    lockout count however its address is written.
    """
    peer = _address(remote_addr or "")
    if peer is None:
        return None
    trusted = _trusted(tuple(settings.TRUSTED_PROXIES))
    client = peer
    if trusted and forwarded_for:
        for entry in reversed(forwarded_for.split(",")):
            if not any(client in network for network in trusted):
                break
            hop = _address(entry)
            if hop is None:
                break
            client = hop
    return str(client)


def client_ip(request) -> str | None:
    """The client's address for a Django (or DRF) request; see ``client_address``."""
    return client_address(request.META.get("REMOTE_ADDR"), request.META.get("HTTP_X_FORWARDED_FOR"))
