"""Redis down: the cache misses instead of failing, so pages, the API and statistics keep working."""
import pytest
from django.urls import reverse

from accounts.models import User

from .api.base import token_client

pytestmark = pytest.mark.django_db

DEAD_REDIS = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0",
                          "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2,
                                      "SOCKET_TIMEOUT": 0.2}}}


def test_pages_and_the_api_work_with_the_cache_unreachable(client, settings):
    settings.CACHES = DEAD_REDIS
    client.force_login(User.objects.get(username="kemnaker"))
    for url in (reverse("home"), reverse("dashboards:area", args=["32"]), reverse("migrants:migrantworker_list"),
                reverse("reports:yearlyreport_list")):
        assert client.get(url).status_code == 200, url
    api = token_client("kemnaker")
    assert api.get(reverse("api:migrantworker-list")).status_code == 200  # throttling degrades, not fails
    assert api.get("/api/v1/statistics/summary/").status_code == 200  # its ETag dates live in the cache
