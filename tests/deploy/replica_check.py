"""Run by test_replica_router.py in a pytest of its own, with DATABASE_REPLICA_URL set (so settings
declare a "replica" alias with TEST MIRROR = default) and without the suite's conftest (no regions
or demo data: the check needs none). Not collected by the suite itself (the name has no test_ prefix).
"""
import pytest
from django.conf import settings
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext

from migrants.models import MigrantStageSummary
from regions.models import Province


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_summary_reads_go_to_the_replica_and_writes_to_default():
    assert settings.DATABASES["replica"]["TEST"]["MIRROR"] == "default"
    assert settings.DATABASE_ROUTERS == ["desmigratif.routers.ReplicaRouter"]

    with CaptureQueriesContext(connections["default"]) as on_default, \
            CaptureQueriesContext(connections["replica"]) as on_replica:
        MigrantStageSummary.objects.create(level="village", area_code="32.09.14.2004", registered_year=2024,
                                           stage="abroad", gender="F", count=7)
        found = list(MigrantStageSummary.objects.filter(area_code="32.09.14.2004").values_list("count", flat=True))

    assert found == [7]  # read back through the replica alias: the mirror is the same test database
    assert any(query["sql"].startswith("INSERT") for query in on_default.captured_queries)
    assert not any(query["sql"].startswith("INSERT") for query in on_replica.captured_queries)
    assert any("migrants_migrantstagesummary" in query["sql"] and query["sql"].startswith("SELECT")
               for query in on_replica.captured_queries)
    assert not any(query["sql"].startswith("SELECT") for query in on_default.captured_queries)

    assert router.db_for_read(MigrantStageSummary) == "replica"
    assert router.db_for_write(MigrantStageSummary) == "default"
    assert router.db_for_read(Province) == "default"  # record tables stay on the primary
    with transaction.atomic():  # a service recounting a summary reads what it has just written
        assert router.db_for_read(MigrantStageSummary) == "default"
    assert router.allow_migrate("replica", "migrants") is False
    assert router.allow_migrate("default", "migrants") is True
