"""The database a maintenance command works on: the configured one, or one given by a URL.

A URL is opened as a Django connection of its own (the same engines and settings as the
configured database), so that the selectors and services read any database the same way.
"""
from __future__ import annotations

import contextlib
import uuid
import warnings
from collections.abc import Iterator

import environ
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from django.utils.translation import gettext as _

POSTGRESQL = "postgresql"
SQLITE = "sqlite"


class MaintenanceError(Exception):
    """A backup, restore or checksum could not be done; the message says why and what to do."""


def vendor_of(settings_dict: dict) -> str:
    engine = settings_dict.get("ENGINE", "")
    if "postgresql" in engine:
        return POSTGRESQL
    if "sqlite3" in engine:
        return SQLITE
    raise MaintenanceError(_("Only PostgreSQL and SQLite databases are supported, not “%(engine)s”.")
                           % {"engine": engine})


def config_from_url(url: str) -> dict:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # django-environ warns of an unknown scheme: the message below says it
            config = environ.Env.db_url_config(url)
    except Exception:  # django-environ raises several kinds for a malformed URL
        config = {}
    if not config.get("ENGINE") or not config.get("NAME"):
        raise MaintenanceError(_("“%(url)s” is not a database URL such as postgres://user@host:5432/name or "
                                 "sqlite:////path/to/file.sqlite3.") % {"url": redact(url)})
    vendor_of(config)
    return config


def redact(url: str) -> str:
    """A URL fit for messages: without its password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':', 1)[0]}@{host}"
    return url


@contextlib.contextmanager
def database(url: str | None = None) -> Iterator[BaseDatabaseWrapper]:
    """A connection to ``url``'s database, opened for the block and closed after; the configured one without.

    The connection is not registered in ``django.db.connections``: it is the command's own.
    """
    if not url:
        yield connections["default"]
        return
    config = connections.configure_settings({"default": config_from_url(url)})["default"]  # fills in defaults
    wrapper = load_backend(config["ENGINE"]).DatabaseWrapper(config, alias=f"maintenance_{uuid.uuid4().hex[:8]}")
    try:
        yield wrapper
    finally:
        wrapper.close()
