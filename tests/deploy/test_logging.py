"""Structured logs: JSON lines with the request id of the response's X-Request-ID, paths without their
query string, and NIKs and phone numbers masked wherever they appear in a record."""
import io
import json
import logging
import runpy
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from desmigratif.logging import JsonFormatter, RedactPersonalDataFilter, RequestContextFilter, TextFormatter

ROOT = Path(__file__).resolve().parents[2]
NIK = "3209141234560001"
NAME = "Sulastri Wulandari"


@pytest.fixture
def captured():
    """Every record that reaches the root logger, formatted as production does (the JSON formatter)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    handler.addFilter(RedactPersonalDataFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def forget(stream) -> None:
    stream.seek(0)
    stream.truncate()


def lines(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


@pytest.mark.django_db
def test_a_search_with_a_nik_and_a_name_is_logged_without_them(client, captured):
    client.force_login(get_user_model().objects.get(username="cirebon"))
    forget(captured)  # the sign-in's own lines, before any request
    response = client.get("/migrants/", {"q": NAME, "nik": NIK, "phone": "081234567890"})
    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32

    records = lines(captured)
    text = captured.getvalue()
    assert records, "the request was logged"
    [request_line] = [record for record in records if record["logger"] == "desmigratif.request"]
    assert request_line["path"] == "/migrants/"
    assert request_line["status"] == 200 and request_line["method"] == "GET"
    assert request_line["user_id"] == response.wsgi_request.user.pk
    assert all(record["request_id"] == request_id for record in records)
    assert NIK not in text and "081234567890" not in text
    for part in NAME.split():
        assert part not in text


@pytest.mark.django_db
def test_a_not_found_warning_drops_the_query_string(client, captured):
    client.force_login(get_user_model().objects.get(username="cirebon"))
    forget(captured)
    response = client.get("/migrants/999999999/", {"q": NAME, "nik": NIK})
    assert response.status_code == 404
    records = lines(captured)
    warning = [record for record in records if record["logger"] == "django.request"]
    assert warning and warning[0]["message"] == "Not Found: /migrants/999999999/"
    assert "request" not in warning[0]  # Django's request object (its repr has the query) is not dumped
    assert {record["request_id"] for record in records} == {response["X-Request-ID"]}
    assert NIK not in captured.getvalue() and "Sulastri" not in captured.getvalue()


def test_a_valid_incoming_request_id_is_kept_and_an_unsafe_one_replaced(client, captured):
    given = uuid.uuid4().hex
    assert client.get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    unsafe = client.get("/healthz", HTTP_X_REQUEST_ID='"><script>alert(1)</script> ' + NIK)
    replaced = unsafe["X-Request-ID"]
    assert len(replaced) == 32 and all(char in "0123456789abcdef" for char in replaced)
    assert "<script>" not in captured.getvalue() and NIK not in captured.getvalue()


def format_json(record: logging.LogRecord) -> dict:
    return json.loads(JsonFormatter().format(record))


def make_record(message, *args, name="desmigratif.test", exc_info=None, **extra) -> logging.LogRecord:
    record = logging.LogRecord(name, logging.WARNING, __file__, 1, message, args, exc_info)
    record.__dict__.update(extra)
    return record


def test_the_filter_masks_niks_and_phones_in_messages_and_arguments():
    masked = format_json(make_record("PMI %s (NIK %s) phone %s / %s", "x", NIK, "0812-3456-7890", "+62 812 3456 7890"))
    assert masked["message"] == "PMI x (NIK [NIK]) phone [PHONE] / [PHONE]"
    grouped = format_json(make_record("NIK 3209 1412 3456 0001 in a note; call 6281234567890."))
    assert grouped["message"] == "NIK [NIK] in a note; call [PHONE]."
    # numbers that are not personal data stay readable
    plain = format_json(make_record("task done in 0.037714999999934661s: 1234567 rows, year 2024, id 42"))
    assert plain["message"] == "task done in 0.037714999999934661s: 1234567 rows, year 2024, id 42"


def test_the_filter_masks_tracebacks_and_extras():
    try:
        raise ValueError(f"NIK {NIK} is not valid")
    except ValueError:
        import sys

        record = make_record("import failed", exc_info=sys.exc_info(), data={"args": [NIK], "phone": "081234567890"})
    found = format_json(record)
    assert "ValueError: NIK [NIK] is not valid" in found["exc_info"]
    assert found["data"] == {"args": ["[NIK]"], "phone": "[PHONE]"}
    assert NIK not in json.dumps(found)


def test_the_development_format_is_readable_and_masked_too():
    line = TextFormatter().format(make_record("NIK %s", NIK))
    assert line.endswith("desmigratif.test [-] NIK [NIK]")
    assert "WARNING" in line


def test_runserver_request_lines_lose_the_query_string():
    record = make_record('"%s" %s %s', f"GET /migrants/?q=Sulastri&nik={NIK} HTTP/1.1", "200", "512",
                         name="django.server")
    assert format_json(record)["message"] == '"GET /migrants/ HTTP/1.1" 200 512'


def test_gunicorn_access_log_is_json_without_the_query_string():
    """gunicorn's own Logger, configured from deploy/gunicorn.conf.py, writes one access record."""
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    cfg = Config()
    for name in ("access_log_format", "accesslog"):
        cfg.set(name, conf[name])
    logger = Logger(cfg)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger.access_log.handlers = [handler]

    class Response:
        status = "200 OK"
        sent = 512
        headers = [("Content-Type", "text/html"), ("X-Request-ID", "0123456789abcdef0123456789abcdef")]

    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/migrants/?q=Sulastri+Wulandari&nik={NIK}",
               "PATH_INFO": "/migrants/", "QUERY_STRING": f"q=Sulastri+Wulandari&nik={NIK}",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.5",
               "HTTP_REFERER": f"https://portal.example.go.id/migrants/?nik={NIK}"}
    logger.access(Response(), [("Referer", environ["HTTP_REFERER"])], environ, timedelta(milliseconds=12))
    [line] = stream.getvalue().splitlines()
    found = json.loads(line)
    assert found["logger"] == "gunicorn.access"
    assert found["message"] == "GET /migrants/ 200"
    assert found["path"] == "/migrants/" and found["status"] == 200 and found["bytes"] == 512
    assert found["duration_ms"] == 12.0
    assert found["request_id"] == "0123456789abcdef0123456789abcdef"
    assert NIK not in line and "Sulastri" not in line
