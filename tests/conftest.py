"""Shared fixtures. The official regions (83,762 villages) and the demo data are loaded once per
test session into the test database; each test then runs in a transaction that is rolled back.

Avoid ``transaction=True`` tests: they flush the database and with it the session's data.
"""
import pytest

from demo.services import demo_load
from regions.services import regions_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        regions_load()
        demo_load()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: cached figures and throttle counts of one test's data must
    not reach another (a test's writes are rolled back, and with them the commit that would change the
    data version)."""
    from django.core.cache import cache

    cache.clear()
    yield
