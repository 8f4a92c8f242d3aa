"""The regions endpoints under /api/v1/: (prefix, viewset, basename), registered by desmigratif.api.urls."""
ROUTES: list[tuple[str, type, str]] = []
