"""Every API route, generated from the URL configuration: no endpoint without its access cases."""
import importlib
import pkgutil

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

import tests.api
from desmigratif.api.urls import router

from .base import ApiEndpointCases, token_client

pytestmark = pytest.mark.django_db

PUBLIC = {"api:root", "api:schema", "api:docs", "api:token"}
ROLES = ["admin", "kemnaker", "jabar", "cirebon", "indramayu", "petugas", "bpjs"]


def endpoint_cases() -> dict[str, type]:
    for module in pkgutil.iter_modules(tests.api.__path__):
        importlib.import_module(f"tests.api.{module.name}")
    found, queue = {}, list(ApiEndpointCases.__subclasses__())
    while queue:
        case = queue.pop()
        found[case.basename] = case
        queue += case.__subclasses__()
    return found


def test_every_registered_endpoint_has_its_access_cases():
    missing = {basename for _prefix, _viewset, basename in router.registry} - endpoint_cases().keys()
    assert not missing, f"write a tests/api class deriving ApiEndpointCases for: {sorted(missing)}"


@pytest.mark.parametrize("basename", [basename for _p, _v, basename in router.registry])
def test_lists_answer_every_role_without_failing_and_anonymous_with_401(basename):
    url = reverse(f"api:{basename}-list")
    assert APIClient().get(url).status_code == 401
    for role in ROLES:
        assert token_client(role).get(url).status_code in (200, 403), role


@pytest.mark.parametrize("name", sorted(PUBLIC - {"api:token"}))
def test_public_routes_answer_anonymous(name):
    assert APIClient().get(reverse(name)).status_code == 200
