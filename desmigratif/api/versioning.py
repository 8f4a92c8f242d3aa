"""The record version on the API (optimistic versioning, see desmigratif.versioning).

Every record endpoint shows the record's ``version``. A PUT or PATCH may send back the ``version``
it read: when someone saved the record since, the answer is 409 Conflict ``{"version": ["…"]}`` and
nothing is written. A PUT or PATCH without ``version`` is accepted as before versioning (the last
write wins): clients written before it keep working, and every client that reads before it writes
is protected by sending the version along.
"""
from rest_framework import serializers

VERSION_HELP = ("The record's version: it counts the saves. Send back the version you read with a PUT or "
                "PATCH, and the change is refused with 409 if someone saved the record since; without it the "
                "change overwrites (last write wins). / Versi data: kirim kembali versi yang Anda baca; "
                "jika data telah diubah orang lain sejak itu, perubahan ditolak dengan 409.")


def version_field(**kwargs) -> serializers.IntegerField:
    """A serializer's ``version``: shown in every answer, optional in a PUT or PATCH, ignored on create."""
    return serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, help_text=VERSION_HELP,
                                    **kwargs)
