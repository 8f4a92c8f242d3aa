"""Story 2: ministry staff drill down from the national dashboard to a village, with breadcrumbs at each
step, the figures of each area as the records give them, and a chart's CSV download."""
import csv
import io

import pytest

from regions.models import District, Province, Regency
from villages.models import DesmigratifVillage

from .browser import By

pytestmark = [pytest.mark.e2e]


def designated_up_to(prefix: str, year: int) -> int:
    return DesmigratifVillage.objects.filter(village__code__startswith=prefix, year_designated__lte=year).count()


def test_ministry_user_drills_down_from_the_country_to_a_village(browser):
    jabar, cirebon = Province.objects.get(code="32"), Regency.objects.get(code="32.09")
    # a district of Kabupaten Cirebon with a program village, and that village
    program_village = (DesmigratifVillage.objects.filter(village__code__startswith="32.09.")
                       .select_related("village").order_by("village__code").first().village)
    district = District.objects.get(code=program_village.district_id)

    browser.log_in("kemnaker")
    browser.wait_for_path(r"^/$")

    def breadcrumbs() -> list[str]:
        return browser.texts("nav ol.breadcrumb li")

    def headline() -> tuple[int, int]:
        """The year shown and the first figure: Desmigratif villages designated up to that year."""
        year = int(browser.find_element(By.CSS_SELECTOR, "#id_year option:checked").text)
        value = browser.find_element(By.CSS_SELECTOR, ".kpis .kpi .kpi-value").text
        return year, int(value.replace(".", ""))

    def follow(name: str) -> None:
        """Click the area's name as it shows on the page (a chart's bar or a table row)."""
        links = [a for a in browser.find_elements(By.CSS_SELECTOR, "main a")
                 if a.is_displayed() and a.text.strip().splitlines()[:1] == [name]]
        assert links, f"no link “{name}” on {browser.current_url}"
        browser.click(links[0])
        browser.wait(lambda d: f"Dasbor · {name} ·" in d.title, message=f"the dashboard of {name}")

    assert breadcrumbs() == ["Indonesia"]
    assert browser.text("h1") == "Dasbor Desmigratif · Indonesia"
    year, villages = headline()
    assert villages == designated_up_to("", year) >= 503  # the published 503 of 2022, and any since
    browser.shot("national")

    follow(jabar.name)
    assert browser.current_url.startswith(f"{browser.base_url}/dashboard/32/")
    assert breadcrumbs() == ["Indonesia", jabar.name]
    assert headline()[1] == designated_up_to("32.", year)
    browser.shot("province")

    follow(cirebon.name)
    assert breadcrumbs() == ["Indonesia", jabar.name, cirebon.name]
    assert headline()[1] == designated_up_to("32.09.", year)
    browser.shot("regency")

    # a chart's data as CSV, from its download link
    link = browser.find_element(By.CSS_SELECTOR, "a[href*='csv=villages-per-year']")
    response = browser.fetch(link.get_attribute("href"))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == ["Tahun", "Desa baru"]
    assert sum(int(new) for _year, new in table[1:]) == headline()[1]

    follow(district.name)
    assert breadcrumbs() == ["Indonesia", jabar.name, cirebon.name, district.name]
    assert headline()[1] == designated_up_to(f"{district.code}.", year)
    browser.shot("district")

    follow(program_village.name)
    assert breadcrumbs() == ["Indonesia", jabar.name, cirebon.name, district.name, program_village.name]
    assert browser.current_url.startswith(f"{browser.base_url}/dashboard/{program_village.code}/")
    browser.shot("village")
    # each breadcrumb leads back up
    browser.click(browser.find_element(By.LINK_TEXT, cirebon.name))
    browser.wait(lambda d: f"Dasbor · {cirebon.name} ·" in d.title, message="back to the regency")
    assert breadcrumbs() == ["Indonesia", jabar.name, cirebon.name]
    browser.shot("back-to-regency", full_page=False)
