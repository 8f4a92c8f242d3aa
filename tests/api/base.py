"""One shared base for every API endpoint's access cases (as NetBox's APITestCase does): anonymous,
wrong role, another area's record, in-area reads and writes, read-only tokens.

A test module declares a subclass with the endpoint's facts and inherits the cases:

    class TestMigrantWorkers(ApiEndpointCases):
        basename = "migrantworker"
        ...
"""
from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import api_token_issue

PASSWORD = "demo-Desmigratif-2024"


def token_client(username: str, *, read_only: bool = False) -> APIClient:
    user = User.objects.get(username=username)
    _token, key = api_token_issue(user=user, name="test", read_only=read_only)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.django_db
class ApiEndpointCases:
    """Subclasses set these; a case that does not apply to an endpoint is skipped by leaving its fact empty."""

    basename: str = ""
    model: Any = None
    readers: tuple[str, ...] = ()  # roles that list the endpoint
    refused_readers: tuple[str, ...] = ()  # signed-in roles that get 403 on the list
    writer: str = "cirebon"  # a role that writes in its area (32.09)
    outsider: str = "indramayu"  # a writer of another area (32.12)
    read_only_roles: tuple[str, ...] = ("kemnaker", "jabar")  # read, never write
    max_queries: int = 10

    # --- facts a subclass gives --------------------------------------------------------------------
    def in_area_record(self):
        """A record of the writer's area (Kabupaten Cirebon)."""
        raise NotImplementedError

    def create_payload(self) -> dict | None:
        """A valid new record in the writer's area (None: the endpoint does not create)."""
        return None

    def update_payload(self) -> dict | None:
        """A valid PATCH of ``in_area_record()`` (None: the endpoint does not update)."""
        return None

    # --- urls ------------------------------------------------------------------------------------------
    def list_url(self) -> str:
        return reverse(f"api:{self.basename}-list")

    def detail_url(self, obj) -> str:
        return reverse(f"api:{self.basename}-detail", args=[obj.pk])

    # --- the cases -------------------------------------------------------------------------------------
    def test_anonymous_gets_401(self):
        client = APIClient()
        assert client.get(self.list_url()).status_code == 401
        assert client.get(self.detail_url(self.in_area_record())).status_code == 401
        if self.create_payload() is not None:
            assert client.post(self.list_url(), self.create_payload(), format="json").status_code == 401

    def test_readers_list_and_wrong_roles_are_refused(self):
        for role in self.readers:
            response = token_client(role).get(self.list_url())
            assert response.status_code == 200, role
            assert {"count", "next", "previous", "results"} <= set(response.json())
        for role in self.refused_readers:
            assert token_client(role).get(self.list_url()).status_code == 403, role

    def test_another_areas_record_is_not_found_to_read_or_write(self):
        record = self.in_area_record()
        client = token_client(self.outsider)
        assert client.get(self.detail_url(record)).status_code == 404
        assert client.patch(self.detail_url(record), self.update_payload() or {}, format="json").status_code in (
            403, 404, 405)
        assert client.delete(self.detail_url(record)).status_code in (403, 404, 405)
        assert self.model.objects.filter(pk=record.pk).exists()
        ids = {row["id"] for row in client.get(self.list_url(), {"page_size": 100}).json()["results"]}
        assert record.pk not in ids

    def test_the_writer_reads_creates_and_edits_in_area(self):
        client = token_client(self.writer)
        record = self.in_area_record()
        assert client.get(self.detail_url(record)).status_code == 200
        payload = self.create_payload()
        if payload is not None:
            response = client.post(self.list_url(), payload, format="json")
            assert response.status_code == 201, response.json()
            assert self.model.objects.filter(pk=response.json()["id"]).exists()
        update = self.update_payload()
        if update is not None:
            response = client.patch(self.detail_url(record), update, format="json")
            assert response.status_code == 200, response.json()

    def test_read_only_roles_and_tokens_do_not_write(self):
        record = self.in_area_record()
        clients = [token_client(role) for role in self.read_only_roles if role in self.readers]
        clients.append(token_client(self.writer, read_only=True))
        for client in clients:
            if self.create_payload() is not None:
                assert client.post(self.list_url(), self.create_payload(), format="json").status_code == 403
            assert client.patch(self.detail_url(record), self.update_payload() or {}, format="json"
                                ).status_code in (403, 405)
            assert client.delete(self.detail_url(record)).status_code in (403, 405)
        assert self.model.objects.filter(pk=record.pk).exists()

    def test_list_queries_are_bounded_whatever_the_page_size(self, django_assert_max_num_queries):
        client = token_client(self.readers[0])
        for size in (5, 100):
            with django_assert_max_num_queries(self.max_queries):
                response = client.get(self.list_url(), {"page_size": size})
            assert response.status_code == 200
