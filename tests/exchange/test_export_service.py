"""The export use case is one service, exchange.services.export_prepare: the export pages call it, and
any other caller (a scheduled job, a later API door) gets the same role rule, filters, row limit,
masking and access log."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from accounts.models import User
from accounts.personal_data import NIK_MASK
from exchange.services import ExportRefused, export_prepare
from migrants.models import MigrantWorker
from privacy.choices import AccessDoor
from privacy.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def user(username: str) -> User:
    return User.objects.get(username=username)


def nik_column(export) -> int:
    return [column.source for column in export.resource.columns].index("nik")


def test_the_rows_are_the_users_and_filtered_as_the_list_is():
    export = export_prepare(user=user("cirebon"), kind="migrants", filters={"stage": ["abroad"]})
    expected = MigrantWorker.objects.filter(village__code__startswith="32.09.", stage="abroad")
    rows = list(export.rows)
    assert export.count == len(rows) == expected.count() > 0
    assert {row[nik_column(export)] for row in rows} == set(expected.values_list("nik", flat=True))
    logged = PersonalDataAccess.objects.filter(user=user("cirebon"), door=AccessDoor.FILE)
    assert logged.count() == len(rows)  # the persons handed out unmasked, once each


def test_masked_readers_get_the_mask_and_no_log():
    export = export_prepare(user=user("kemnaker"), kind="migrants", filters={"area": "32.09"})
    rows = list(export.rows)
    assert rows and {row[nik_column(export)] for row in rows} == {NIK_MASK}
    assert not PersonalDataAccess.objects.filter(user=user("kemnaker"), door=AccessDoor.FILE).exists()


def test_person_records_are_refused_to_a_role_that_reads_none():
    with pytest.raises(PermissionDenied):
        export_prepare(user=user("bpjs"), kind="migrants")
    assert list(export_prepare(user=user("bpjs"), kind="engagements").rows)  # their agency's engagements


def test_invalid_filters_and_too_many_rows_are_refused_with_the_reason(settings):
    with pytest.raises(ExportRefused) as refused:
        export_prepare(user=user("cirebon"), kind="migrants", filters={"stage": ["nowhere"]})
    assert refused.value.message.startswith("The filters are not valid:") and "nowhere" in refused.value.message
    settings.EXCHANGE_MAX_ROWS = 5
    with pytest.raises(ExportRefused) as refused:
        export_prepare(user=user("cirebon"), kind="migrants")
    assert "an export holds at most 5" in refused.value.message
