"""The schema's error responses: drf-spectacular documents the successes; every operation also
answers errors in one JSON shape (DRF's), which this hook adds so clients can rely on them."""
from __future__ import annotations

ERROR = {
    "type": "object",
    "description": "An error: `detail` for the request as a whole, or a list of messages per field "
                   "(`non_field_errors` for the whole body). / Galat: `detail`, atau pesan per kolom.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
MESSAGES = {
    "400": "Invalid input: the fields and why / Masukan tidak sah: kolom dan alasannya",
    "401": "No or an invalid token / Token tidak ada atau tidak sah",
    "403": "Your role, area or read-only token does not allow this / Peran, wilayah, atau token hanya-baca tidak "
           "mengizinkan",
    "404": "Not found, or outside your area / Tidak ditemukan, atau di luar wilayah Anda",
    "405": "Method not allowed here / Metode tidak diizinkan",
    "406": "The requested format is not offered / Format yang diminta tidak tersedia",
    "409": "Other records still refer to this one / Data lain masih merujuk data ini",
    # PUT and PATCH: optimistic versioning (desmigratif.api.versioning)
    "409-edit": "The record was changed or deleted since the `version` you sent: `{\"version\": [\"…\"]}`, nothing "
                "was saved; read it again / Data telah diubah atau dihapus sejak `version` yang Anda kirim; tidak "
                "ada yang disimpan",
    "415": "Send JSON (or a form) / Kirim JSON (atau formulir)",
    "429": "Too many requests: wait and try again / Terlalu banyak permintaan",
    "503": "Background work is unavailable / Pemrosesan latar belakang tidak tersedia",
}
WRITES = {"post", "put", "patch", "delete"}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            codes = ["400", "401", "403", "404", "405", "406", "429"]
            if method in WRITES:
                codes += ["409", "415"]
            if method == "post":
                codes.append("503")
            responses = operation.setdefault("responses", {})
            for code in codes:
                message = MESSAGES[f"{code}-edit"] if code == "409" and method in {"put", "patch"} else MESSAGES[code]
                responses.setdefault(code, {"description": message,
                                            "content": {"application/json": {"schema": reference}}})
    return result
