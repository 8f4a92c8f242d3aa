"""The history tab: who changed which field from what to what, within the user's area, PII masked."""
import datetime

import pytest
from django.urls import reverse

from accounts.models import User
from migrants.models import MigrantWorker
from migrants.nik import nik_for
from migrants.services import migrant_register, migrant_update
from villages.models import DesmigratifVillage

pytestmark = pytest.mark.django_db


def url(obj) -> str:
    return reverse("record_history", args=[obj._meta.label_lower, obj.pk])


def test_a_change_made_on_a_page_is_shown_with_its_author(client):
    dv = DesmigratifVillage.objects.filter(village__code__startswith="32.09.").order_by("pk").first()
    client.force_login(User.objects.get(username="cirebon"))
    for number in ("SK-BARU/1", "SK-BARU/2"):
        client.post(reverse("villages:desmigratifvillage_edit", args=[dv.pk]), {
            "village": dv.village_id, "year_designated": dv.year_designated, "decree_number": number,
            "funding_source": dv.funding_source, "status": dv.status, "is_desmigratif": "on"})
    response = client.get(url(dv))
    assert response.status_code == 200
    latest, first = response.context["rows"][:2]
    assert latest["user"].username == "cirebon"
    assert [(c["old"], c["new"]) for c in latest["changes"]] == [("SK-BARU/1", "SK-BARU/2")]
    # the demo was loaded in bulk, without history: the first recorded change has no "before"
    assert first["changes"] == [] and not first["complete"]


def test_history_of_another_area_is_not_found(client):
    dv = DesmigratifVillage.objects.filter(village__code__startswith="32.09.").first()
    client.force_login(User.objects.get(username="indramayu"))
    assert client.get(url(dv)).status_code == 404
    assert client.get(reverse("record_history", args=["accounts.user", 1])).status_code == 404


def test_nik_and_phone_are_masked_for_readers(client):
    migrant = migrant_register(nik=nik_for(district_code="32.09.14", birth_date=datetime.date(1990, 5, 4),
                                           female=False, serial=9001),
                               name="Riwayat Contoh", gender="M", birth_date=datetime.date(1990, 5, 4),
                               village_id="32.09.14.2004", phone="081200001111", address="Blok Manis RT 02")
    migrant_update(instance=migrant, phone="081299998888", address="Blok Manis RT 05")
    client.force_login(User.objects.get(username="kemnaker"))
    page = client.get(url(MigrantWorker.objects.get(pk=migrant.pk))).content.decode()
    assert "081299998888" not in page and "081200001111" not in page and "••••••" in page
    assert "Blok Manis" not in page  # the address is hidden as on the PMI's page
    client.force_login(User.objects.get(username="cirebon"))
    page = client.get(url(migrant)).content.decode()
    assert "081200001111" in page and "081299998888" in page and "Blok Manis RT 05" in page


def test_history_survives_deletion_within_the_area(client):
    client.force_login(User.objects.get(username="cirebon"))
    dv = DesmigratifVillage.objects.filter(village__code__startswith="32.09.", activities__isnull=True,
                                           cooperatives__isnull=True).first()
    if dv is None:  # every demo village has activities: make a fresh one
        from regions.models import Village

        code = Village.objects.filter(code__startswith="32.09.2").exclude(
            code__in=DesmigratifVillage.objects.values("village_id")).first().code
        dv = DesmigratifVillage.objects.create(village_id=code, year_designated=2024, funding_source="apbd")
    pk = dv.pk
    response = client.post(reverse("villages:desmigratifvillage_delete", args=[pk]), follow=True)
    assert not DesmigratifVillage.objects.filter(pk=pk).exists()
    history = reverse("record_history", args=["villages.desmigratifvillage", pk])
    assert history in response.content.decode()  # the message links to it
    page = client.get(history)
    assert page.status_code == 200 and page.context["deleted"]
    assert page.context["rows"][0]["kind"] in ("Dihapus", "Deleted")
    client.force_login(User.objects.get(username="indramayu"))
    assert client.get(history).status_code == 404


def test_a_placements_history_shows_who_recorded_the_departure_and_the_return(client):
    from migrants.models import Placement

    placement = Placement.objects.filter(migrant__village__code__startswith="32.09.", return_date__isnull=False
                                         ).first()
    client.force_login(User.objects.get(username="cirebon"))
    response = client.get(reverse("record_history", args=["migrants.placement", placement.pk]))
    assert response.status_code == 200
    client.force_login(User.objects.get(username="indramayu"))
    assert client.get(reverse("record_history", args=["migrants.placement", placement.pk])).status_code == 404
