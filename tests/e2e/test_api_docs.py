"""Story 3: an administrator issues an API token in the admin; its user opens the API's docs (Swagger UI,
served by the portal itself), authorises with the token and runs a GET that answers 200 with the
figures of the token user's area."""
import json
import re

import pytest

from accounts.models import ApiToken

from .browser import By

pytestmark = [pytest.mark.e2e]


def test_admin_issues_a_token_and_its_user_calls_the_api_from_the_docs(browser):
    # --- the administrator issues a read-only token to the province officer of Jawa Barat -------------
    browser.open("/admin/login/?next=/admin/")
    browser.fill({"id_username": "admin", "id_password": "demo-Desmigratif-2024"})
    browser.submit(browser.find_element(By.ID, "id_password"))
    browser.wait(lambda d: "/admin/login/" not in d.current_url, message="admin logged in")
    browser.open("/admin/accounts/apitoken/add/")
    browser.click(browser.find_element(By.CSS_SELECTOR, ".field-user .select2-selection"))
    browser.find_element(By.CSS_SELECTOR, ".select2-container--open .select2-search__field").send_keys("jabar")
    option = browser.wait(lambda d: next((li for li in d.find_elements(By.CSS_SELECTOR, ".select2-results__option")
                                          if li.text == "jabar"), None), message="the user jabar in the list")
    browser.click(option)
    browser.fill({"id_name": "Dasbor mitra Jawa Barat"})
    browser.click(browser.find_element(By.ID, "id_read_only"))
    browser.shot("admin-token-form")
    browser.click(browser.find_element(By.CSS_SELECTOR, "input[name=_save]"))
    browser.wait_for_path(r"^/admin/accounts/apitoken/$")
    messages = browser.texts("ul.messagelist li")
    key = re.search(r"berikan kepada penggunanya sekarang: (\S+)$", messages[0])[1]
    assert "Dasbor mitra Jawa Barat" in messages[1]
    token = ApiToken.objects.get(name="Dasbor mitra Jawa Barat")
    assert token.user.username == "jabar" and token.read_only and token.last_used_at is None
    browser.shot("admin-token-issued")

    # --- the token's user, without any session of the portal, opens the docs --------------------------
    browser.delete_all_cookies()
    browser.open("/api/v1/docs/")
    browser.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) > 20, message="the operations list")
    assert "Desmigratif API" in browser.text(".information-container")
    operation = browser.find_element(By.CSS_SELECTOR, "[id$='-statistics_summary']")
    assert "/api/v1/statistics/summary/" in operation.text
    browser.shot("docs")

    browser.click(browser.find_element(By.CSS_SELECTOR, "button.authorize"))
    token_auth = browser.wait(lambda d: d.find_element(
        By.XPATH, "//div[contains(@class, 'auth-container')][.//h4/code[text()='tokenAuth']]"),
        message="the token authorisation")
    token_auth.find_element(By.TAG_NAME, "input").send_keys(f"Token {key}")
    browser.click(token_auth.find_element(By.CSS_SELECTOR, "button.authorize"))
    browser.wait(lambda d: token_auth.find_elements(By.XPATH, ".//button[normalize-space()='Logout']"),
                 message="authorised")
    browser.shot("docs-authorised", full_page=False)
    browser.click(browser.find_element(By.CSS_SELECTOR, ".modal-ux .close-modal"))

    browser.click(operation.find_element(By.CSS_SELECTOR, ".opblock-summary-control"))
    browser.click(browser.wait(lambda d: operation.find_element(By.CSS_SELECTOR, "button.try-out__btn"),
                               message="Try it out"))
    browser.click(browser.wait(lambda d: operation.find_element(By.CSS_SELECTOR, "button.execute"),
                               message="Execute"))
    status = browser.wait(lambda d: operation.find_element(
        By.CSS_SELECTOR, ".live-responses-table tbody .response-col_status"), message="the response")
    assert status.text == "200"
    body = json.loads(operation.find_element(By.CSS_SELECTOR, ".live-responses-table tbody .microlight").text)
    assert body["area"] == {"code": "32", "name": "Jawa Barat", "level": "province"}  # the token user's area
    assert body["results"][0]["villages_total"] > 0
    assert f"Authorization: Token {key}" in operation.find_element(By.CSS_SELECTOR, ".curl-command").text
    browser.shot("docs-executed")
    token.refresh_from_db()
    assert token.last_used_at is not None
