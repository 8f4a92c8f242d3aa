"""A thin layer over Selenium's Chrome driver for the stories: log in, click, wait, fetch a link, screenshot."""
from __future__ import annotations

import base64
import re
from pathlib import Path

import requests
from selenium import webdriver
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from demo.data import DEMO_PASSWORD

__all__ = ["By", "Browser"]

WAIT_SECONDS = 15
FULL_PAGE_MAX_HEIGHT = 6000  # px: the national dashboard is long; enough to show what matters

CHROMIUM_ARGUMENTS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1366,900", "--lang=id-ID",
]


class Browser(webdriver.Chrome):
    base_url: str
    folder: Path
    step: int

    @classmethod
    def start(cls, *, chromium: str, chromedriver: str, profile: str, base_url: str, folder: Path) -> Browser:
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for argument in [*CHROMIUM_ARGUMENTS, f"--user-data-dir={profile}"]:
            options.add_argument(argument)
        # the driver's path is given: Selenium Manager never tries to download one
        driver = cls(service=Service(executable_path=chromedriver), options=options)
        driver.base_url, driver.folder, driver.step = base_url, folder, 0
        return driver

    # --- navigation -------------------------------------------------------------------------------------

    def open(self, path: str) -> None:
        self.get(self.base_url + path)

    def wait(self, condition, *, message: str = "", timeout: float = WAIT_SECONDS):
        """Wait until ``condition(driver)`` is truthy and return it; on a timeout say what was awaited."""
        try:
            # a page being replaced (a form sent, an htmx swap) leaves stale elements behind: look again
            return WebDriverWait(self, timeout, ignored_exceptions=(NoSuchElementException,
                                                                    StaleElementReferenceException)).until(condition)
        except TimeoutException as error:
            raise AssertionError(f"timed out waiting for: {message or condition} (at {self.current_url})") from error

    def wait_for_path(self, pattern: str) -> re.Match:
        """Wait until the URL's path matches ``pattern`` (a regular expression)."""
        return self.wait(lambda d: re.search(pattern, d.current_url.removeprefix(d.base_url)),
                         message=f"the page {pattern}")

    def click(self, element: WebElement) -> None:
        # Bootstrap scrolls smoothly: bring the element into view at once, or the click lands mid-scroll
        self.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
        element.click()

    def submit(self, field: WebElement) -> None:
        """Click the submit button of the form that holds ``field``."""
        self.click(field.find_element(By.XPATH, "./ancestor::form//*[@type='submit']"))

    def fill(self, values: dict[str, str]) -> None:
        """Type into inputs and pick options of selects, by element id."""
        from selenium.webdriver.support.ui import Select

        for element_id, value in values.items():
            element = self.find_element(By.ID, element_id)
            if element.tag_name == "select":
                Select(element).select_by_value(value)
            else:
                element.clear()
                element.send_keys(value)

    def log_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        self.open("/accounts/login/")
        self.shot(f"login-{username}")
        self.fill({"id_username": username, "id_password": password})
        self.submit(self.find_element(By.ID, "id_password"))
        self.wait(lambda d: "/accounts/login/" not in d.current_url, message=f"{username} logged in")

    # --- reading ------------------------------------------------------------------------------------------

    def text(self, css: str = "main") -> str:
        return self.find_element(By.CSS_SELECTOR, css).text

    def current_text(self, css: str) -> str:
        """The text of ``css`` as the page is now, or "" while it is being replaced: for waits (an element
        found before a form's answer arrives is gone by the time its text is read)."""
        try:
            return self.execute_script(
                "const found = document.querySelector(arguments[0]); return found ? found.innerText : '';", css) or ""
        except WebDriverException:
            return ""

    def texts(self, css: str) -> list[str]:
        return [element.text.strip() for element in self.find_elements(By.CSS_SELECTOR, css)]

    def fetch(self, url: str) -> requests.Response:
        """GET a link's target outside the browser, with the browser's cookies (a file download)."""
        session = requests.Session()
        for cookie in self.get_cookies():
            session.cookies.set(cookie["name"], cookie["value"])
        return session.get(url, timeout=WAIT_SECONDS)

    # --- screenshots --------------------------------------------------------------------------------------

    def shot(self, name: str, *, full_page: bool = True) -> Path:
        """Save the page as ``NN-name.png`` in the test's folder (the whole page, up to a limit)."""
        self.step += 1
        path = self.folder / f"{self.step:02d}-{name}.png"
        if full_page:
            size = self.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
            width = max(size["width"], self.execute_script("return window.innerWidth"))  # with the scrollbar's strip
            clip = {"x": 0, "y": 0, "width": width, "height": min(size["height"], FULL_PAGE_MAX_HEIGHT), "scale": 1}
            data = self.execute_cdp_cmd("Page.captureScreenshot",
                                        {"format": "png", "captureBeyondViewport": True, "clip": clip})["data"]
            path.write_bytes(base64.b64decode(data))
        else:
            self.save_screenshot(str(path))
        return path

    def save_failure(self) -> None:
        """What the browser showed when the test failed: a screenshot and the page source."""
        try:
            self.save_screenshot(str(self.folder / "failure.png"))
            (self.folder / "failure.html").write_text(self.page_source, encoding="utf-8")
        except Exception as error:  # the browser itself may be what failed; keep the test's own error
            (self.folder / "failure.txt").write_text(f"could not save the page: {error!r}\n", encoding="utf-8")
