"""Year filters take calendar years only: year 0 or 10000 is a clear error, never a server error."""
import pytest
from django.urls import reverse

from accounts.models import User
from tests.api.base import token_client

pytestmark = pytest.mark.django_db

PAGES = [("migrants:migrantworker_list", {"registered_year": "0"}),
         ("migrants:placement_list", {"departure_year_min": "0"}),
         ("migrants:placement_list", {"return_year_max": "10000"}),
         ("villages:pillaractivity_list", {"year": "0"}),
         ("villages:desmigratifvillage_list", {"year_designated_min": "-5"}),
         ("cooperatives:cooperative_list", {"year_founded_max": "99999"}),
         ("agencies:engagement_list", {"year_min": "0"})]


@pytest.mark.parametrize("name, query", PAGES)
def test_a_year_out_of_range_is_a_form_error_on_the_page(client, name, query):
    client.force_login(User.objects.get(username="cirebon"))
    response = client.get(reverse(name), query)
    assert response.status_code == 200
    assert response.context["filter"].form.errors


@pytest.mark.parametrize("path, query", [("/api/v1/migrant-workers/", {"registered_year": "0"}),
                                         ("/api/v1/placements/", {"departure_year_max": "0"}),
                                         ("/api/v1/pillar-activities/", {"year": "0"}),
                                         ("/api/v1/engagements/", {"year_min": "10000"})])
def test_a_year_out_of_range_answers_400_on_the_api(path, query):
    response = token_client("cirebon").get(path, query)
    assert response.status_code == 400
