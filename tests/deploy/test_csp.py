"""Content-Security-Policy (django-csp) and the other security headers, on the portal's pages and the
API docs (Swagger UI served by the portal itself); and the templates keep to the policy: no inline
<script> or <style> without the request's nonce, no inline event handler the policy does not list.
"""
import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def nonce_of(response) -> str:
    [nonce] = [value[len("'nonce-"):-1] for value in policy(response)["script-src"] if value.startswith("'nonce-")]
    return nonce


def test_a_page_carries_the_policy_and_the_security_headers(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    # nothing from another origin: every source is 'self', a nonce, a hash, a keyword or data: (images, fonts)
    for name, values in directives.items():
        for value in values:
            assert value.startswith("'") or value == "data:", (name, value)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_api_docs_run_their_inline_script_by_nonce(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    nonce = nonce_of(response)
    assert f"'nonce-{nonce}'" in policy(response)["style-src"]
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline_scripts, "Swagger UI's set-up script is inline"
    for attributes in inline_scripts:
        assert f'nonce="{nonce}"' in attributes
    for attributes in re.findall(r"<style([^>]*)>", html):
        assert f'nonce="{nonce}"' in attributes
    # Swagger UI's files come from the portal itself (drf-spectacular-sidecar), not a CDN
    for source in re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html):
        assert source.startswith("/"), source


def test_each_request_gets_a_new_nonce(client):
    assert nonce_of(client.get("/api/v1/docs/")) != nonce_of(client.get("/api/v1/docs/"))


def template_files() -> list[Path]:
    found = []
    for folder in ROOT.iterdir():
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        found.extend(path for path in folder.rglob("*.html")
                     if "templates" in path.relative_to(ROOT).parts and ".venv" not in path.parts)
    return sorted(found)


def csp_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("path", template_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_templates_keep_to_the_policy(path):
    text = path.read_text()
    nonce = 'nonce="{{ request.csp_nonce }}"'
    for attributes in re.findall(r"<script\b(?![^>]*\bsrc=)([^>]*)>", text):
        if 'type="application/json"' in attributes:
            continue  # data, never run
        assert nonce in attributes, f"{path}: an inline <script> without {nonce}"
    for attributes in re.findall(r"<style\b([^>]*)>", text):
        assert nonce in attributes, f"{path}: an inline <style> without {nonce}"
    allowed = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"]
    for code in re.findall(r"""\son[a-z]+=["']([^"']*)["']""", text):
        assert csp_hash(code) in allowed, f"{path}: inline handler {code!r} is not hashed in CSP_SCRIPT_HASHES"


def test_the_template_scan_finds_the_templates():
    names = {str(path.relative_to(ROOT)) for path in template_files()}
    assert {"templates/base.html", "templates/drf_spectacular/swagger_ui.html"} <= names
