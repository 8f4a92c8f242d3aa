"""The base of the API's record endpoints: reads through the app's selector, writes through its services."""
from __future__ import annotations

from collections.abc import Callable

from rest_framework import viewsets

from desmigratif.versioning import VERSION_FIELD


class ScopedModelViewSet(viewsets.ModelViewSet):
    """Records the user may read come from ``selector(user=...)`` — so another area's record is a 404;
    writes call ``create_service(user=..., **data)``, ``update_service(user=..., instance=..., **data)``
    and ``delete_service(user=..., instance=...)``, which check the area and the program's rules.
    A viewset without a service for a write does not offer it.
    """

    selector: Callable | None = None
    detail_selector: Callable | None = None  # what one record's page reads, when it reads more than the list
    detail_serializer_class = None
    create_service: Callable | None = None
    update_service: Callable | None = None
    delete_service: Callable | None = None
    person_records = False
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        selector = type(self).detail_selector if self.action == "retrieve" and type(self).detail_selector \
            else type(self).selector
        return selector(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return super().get_serializer_class()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "user": self.request.user}

    def perform_create(self, serializer):
        data = {name: value for name, value in serializer.validated_data.items() if name != VERSION_FIELD}
        serializer.instance = type(self).create_service(user=self.request.user, **data)

    def perform_update(self, serializer):
        # the version the client read, if it sent one: the service refuses a stale one (409, see
        # desmigratif.api.versioning)
        data = dict(serializer.validated_data)
        version = {"expected_version": data.pop(VERSION_FIELD)} if VERSION_FIELD in data else {}
        serializer.instance = type(self).update_service(user=self.request.user, instance=serializer.instance,
                                                        **version, **data)

    def perform_destroy(self, instance):
        type(self).delete_service(user=self.request.user, instance=instance)

    @classmethod
    def allowed_methods_for(cls) -> list[str]:
        methods = ["get", "head", "options"]
        if cls.create_service:
            methods.append("post")
        if cls.update_service:
            methods += ["put", "patch"]
        if cls.delete_service:
            methods.append("delete")
        return methods

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "http_method_names" not in cls.__dict__:
            cls.http_method_names = cls.allowed_methods_for()
