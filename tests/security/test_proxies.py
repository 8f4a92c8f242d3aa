"""Client addresses behind a proxy: X-Forwarded-For counts only when a trusted proxy wrote it.

One setting (TRUSTED_PROXIES) and one function (desmigratif.net.client_ip) serve the API's throttles,
the login lockout (django-axes) and gunicorn's access log. A caller that forges the header from
anywhere else is counted by its own address; behind a trusted proxy each client is counted by the
address the proxy saw, and entries a client prepends are never read.
"""
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from accounts.models import ApiToken
from desmigratif.logging import JsonFormatter
from desmigratif.net import client_address, parse_networks

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo-Desmigratif-2024"
PROXY = "10.0.0.2"  # the reverse proxy of these tests
BEHIND_PROXY = override_settings(TRUSTED_PROXIES=["10.0.0.0/30", "::1"])


@pytest.fixture
def rates(monkeypatch):
    """Small budgets, set the way the settings set them (API_THROTTLE_* → DEFAULT_THROTTLE_RATES)."""
    def set_rates(**rates):
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **rates})
    return set_rates


def token_request(client, username, password, **extra):
    return client.post(reverse("api:token"), {"username": username, "password": password}, format="json", **extra)


# --- the rule ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("trusted", "remote_addr", "forwarded_for", "client"), [
    # nothing trusted: the header is never read
    ([], "198.51.100.7", "203.0.113.5", "198.51.100.7"),
    ([], "198.51.100.7", None, "198.51.100.7"),
    # a peer that is not a trusted proxy: its header is a forgery
    (["10.0.0.0/30"], "198.51.100.7", "203.0.113.5", "198.51.100.7"),
    # from the trusted proxy: the address it appended
    (["10.0.0.0/30"], "10.0.0.2", "203.0.113.5", "203.0.113.5"),
    # entries the client sent before the proxy appended its peer are never read
    (["10.0.0.0/30"], "10.0.0.2", "1.2.3.4, 5.6.7.8, 203.0.113.5", "203.0.113.5"),
    # a chain of trusted proxies (load balancer, then nginx): skipped from the right
    (["10.0.0.0/30", "192.168.5.0/24"], "10.0.0.2", "9.9.9.9, 203.0.113.5, 192.168.5.10", "203.0.113.5"),
    # the proxy speaking for itself (no header, or only trusted hops)
    (["10.0.0.0/30"], "10.0.0.2", None, "10.0.0.2"),
    (["10.0.0.0/30"], "10.0.0.2", "10.0.0.1", "10.0.0.1"),
    # an entry that is no address stops the walk at the proxy that passed it on
    (["10.0.0.0/30"], "10.0.0.2", "203.0.113.5, unknown", "10.0.0.2"),
    (["10.0.0.0/30"], "10.0.0.2", "203.0.113.5,,", "10.0.0.2"),
    (["10.0.0.0/30"], "10.0.0.2", "<script>", "10.0.0.2"),
    (["10.0.0.0/30"], "10.0.0.2", "1" * 5000, "10.0.0.2"),
    (["10.0.0.0/30"], "10.0.0.2", "", "10.0.0.2"),
    # ports some balancers append; IPv6, canonical spelling; IPv4 seen on a dual-stack socket
    (["10.0.0.0/30"], "10.0.0.2", "203.0.113.5:5050", "203.0.113.5"),
    (["10.0.0.0/30"], "10.0.0.2", "[2001:DB8:0::7]:443", "2001:db8::7"),
    (["::1"], "::1", "2001:0db8:0000::7", "2001:db8::7"),
    (["10.0.0.0/30"], "::ffff:10.0.0.2", "203.0.113.5", "203.0.113.5"),
    ([], "::ffff:198.51.100.7", None, "198.51.100.7"),
    # no IP address to speak of (a Unix socket): nothing is believed
    (["10.0.0.0/30"], "", "203.0.113.5", None),
    (["10.0.0.0/30"], None, "203.0.113.5", None),
])
def test_the_client_is_the_right_most_address_no_trusted_proxy_wrote(trusted, remote_addr, forwarded_for, client):
    with override_settings(TRUSTED_PROXIES=trusted):
        assert client_address(remote_addr, forwarded_for) == client


@pytest.mark.parametrize("entry", ["10.0.0.300", "proxy.example.go.id", "10.0.0.0/33", "*"])
def test_a_wrong_trusted_proxy_entry_is_named(entry):
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        parse_networks(["127.0.0.1", entry])


def test_the_portal_does_not_start_with_a_wrong_trusted_proxy_entry():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "desmigratif.settings.test", "TRUSTED_PROXIES": "10.0.0.1,nginx"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "TRUSTED_PROXIES: 'nginx'" in result.stderr


def test_axes_and_drf_use_the_one_rule_and_no_parsing_of_their_own():
    assert settings.AXES_CLIENT_IP_CALLABLE == "desmigratif.net.client_ip"
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0


def api_views():
    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
                yield pattern.callback
    return list(walk(get_resolver().url_patterns))


def test_every_throttle_of_every_api_view_counts_the_vouched_for_address():
    """The class of hole, not the instance: a forged header moves no throttle of any endpoint."""
    request = Request(APIRequestFactory().post("/api/v1/", REMOTE_ADDR="198.51.100.7",
                                               HTTP_X_FORWARDED_FOR="203.0.113.5"))
    checked = set()
    for view in api_views():
        for throttle_class in view.initkwargs.get("throttle_classes", view.cls.throttle_classes):
            throttle = throttle_class.__new__(throttle_class)  # get_ident needs no rate
            assert throttle.get_ident(request) == "198.51.100.7", f"{view.cls.__name__}: {throttle_class.__name__}"
            checked.add(throttle_class)
    assert len(checked) >= 3  # anonymous, per user/token, the token endpoint's scope
    assert any(issubclass(throttle, ScopedRateThrottle) for throttle in checked)


# --- a forged header from a peer that is not a trusted proxy ------------------------------------------

@pytest.mark.django_db
def test_rotating_a_forged_header_does_not_escape_the_token_endpoints_limit(rates):
    rates(token="3/minute")
    client = APIClient()
    answers = [token_request(client, "kemnaker", "wrong", REMOTE_ADDR="198.51.100.7",
                             HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(5)]
    assert answers == [400, 400, 400, 429, 429]


@pytest.mark.django_db
def test_rotating_a_forged_header_does_not_escape_the_anonymous_limit(rates):
    rates(anon="3/minute")
    client = APIClient()
    answers = [client.get(reverse("api:root"), REMOTE_ADDR="198.51.100.7",
                          HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(4)]
    assert answers == [200, 200, 200, 429]


@pytest.mark.django_db
@BEHIND_PROXY
def test_a_forged_header_from_an_untrusted_peer_is_not_believed_by_the_lockout(rates):
    rates(token="100/minute")
    client = APIClient()
    answers = [token_request(client, "jabar", "not-it", REMOTE_ADDR="198.51.100.7",
                             HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
               for n in range(settings.AXES_FAILURE_LIMIT)]
    assert answers[-1] == 429
    assert set(AccessAttempt.objects.filter(username="jabar").values_list("ip_address", flat=True)) == {
        "198.51.100.7"}
    # the real peer is locked out of jabar, whatever it claims to forward
    refused = token_request(client, "jabar", PASSWORD, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="8.8.8.8")
    assert refused.status_code == 429


# --- behind a trusted proxy ------------------------------------------------------------------------

@pytest.mark.django_db
@BEHIND_PROXY
def test_two_clients_behind_the_proxy_have_their_own_token_budget(rates):
    rates(token="3/minute")
    client = APIClient()
    first = [token_request(client, "kemnaker", "wrong", REMOTE_ADDR=PROXY,
                           HTTP_X_FORWARDED_FOR="203.0.113.5").status_code for _ in range(4)]
    assert first == [400, 400, 400, 429]
    other = token_request(client, "kemnaker", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 201


@pytest.mark.django_db
@BEHIND_PROXY
def test_prepending_entries_behind_the_proxy_does_not_escape_the_limit(rates):
    rates(token="3/minute")
    client = APIClient()
    # nginx appends the address it saw (203.0.113.5) to whatever the client sent
    answers = [token_request(client, "kemnaker", "wrong", REMOTE_ADDR=PROXY,
                             HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5").status_code for n in range(4)]
    assert answers == [400, 400, 400, 429]


@pytest.mark.django_db
@BEHIND_PROXY
def test_behind_the_proxy_one_client_cannot_lock_an_official_out_for_everyone(rates):
    rates(token="100/minute")
    client = APIClient()
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    answers = [token_request(client, "jabar", "not-it", **attacker).status_code
               for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert answers[-1] == 429
    assert set(AccessAttempt.objects.filter(username="jabar").values_list("ip_address", flat=True)) == {
        "203.0.113.66"}, "the lockout counts the client, not the proxy"
    # the official, behind the same proxy from their office, still signs in — on the API and the page
    official = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    assert token_request(client, "jabar", PASSWORD, **official).status_code == 201
    page = client.post(reverse("login"), {"username": "jabar", "password": PASSWORD}, **official)
    assert page.status_code == 302
    # and the attacker stays locked out, even prepending other addresses
    tokens = ApiToken.objects.count()
    spoofed = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.10, 203.0.113.66"}
    assert token_request(client, "jabar", PASSWORD, **spoofed).status_code == 429
    assert ApiToken.objects.count() == tokens


@pytest.mark.django_db
@BEHIND_PROXY
def test_the_login_page_locks_the_client_behind_the_proxy_not_the_proxy(client):
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "indramayu", "password": "not-it"}, **attacker)
    assert client.post(reverse("login"), {"username": "indramayu", "password": PASSWORD},
                       **attacker).status_code == 429
    official = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    assert client.post(reverse("login"), {"username": "indramayu", "password": PASSWORD},
                       **official).status_code == 302


# --- the access log ---------------------------------------------------------------------------------

def access_record(environ: dict, headers: list[tuple[str, str]]) -> dict:
    from datetime import timedelta

    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", "%(m)s %(U)s %(s)s")
    logger = Logger(cfg)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger.access_log.handlers = [handler]

    class Response:
        status = "200 OK"
        sent = 10
        headers = []

    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/", "PATH_INFO": "/", "QUERY_STRING": "",
               "SERVER_PROTOCOL": "HTTP/1.1", **environ}
    logger.access(Response(), headers, environ, timedelta(milliseconds=1))
    return json.loads(stream.getvalue())


@pytest.mark.parametrize(("remote_addr", "client"), [(PROXY, "203.0.113.5"), ("198.51.100.7", "198.51.100.7")])
@BEHIND_PROXY
def test_the_access_log_names_the_client_the_proxy_vouches_for(remote_addr, client):
    record = access_record({"REMOTE_ADDR": remote_addr}, [("X-Forwarded-For", "1.2.3.4, 203.0.113.5")])
    assert record["remote_addr"] == client
