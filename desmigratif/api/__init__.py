"""The REST API's shared parts: authentication, permissions, pagination, errors and the base viewset.

Each app keeps its own endpoints in ``<app>/api/``; ``desmigratif.api.urls`` routes them under /api/v1/.
"""
