from django.core.management import call_command


def test_the_schema_is_valid_and_generates_without_warnings(tmp_path, db):
    # --fail-on-warn: an endpoint whose parameters or responses drf-spectacular cannot describe fails here
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi:")
