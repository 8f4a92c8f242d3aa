"""Story 1, the data-entry issue: a regency operator of Kabupaten Cirebon adds a village to the program,
registers a PMI and takes them through departure and return, then imports PMI from the Excel template:
the first upload is refused with every problem listed (nothing written), the corrected one adds 3."""
import datetime
import io
from collections import Counter

import openpyxl
import pytest
from django.utils import timezone

from migrants.models import MigrantWorker
from migrants.nik import nik_for
from regions.models import Village
from villages.models import DesmigratifVillage

from .browser import By

pytestmark = [pytest.mark.e2e]

INDRAMAYU_VILLAGE = "32.12.16.2004"  # Kenanga, Sindang: outside the Cirebon operator's area


def a_cirebon_village_outside_the_program() -> Village:
    """A desa of Kabupaten Cirebon not yet in the program, whose name no other village of Cirebon has."""
    villages = list(Village.objects.filter(code__startswith="32.09.", code__regex=r"\.2\d{3}$")
                    .exclude(pk__in=DesmigratifVillage.objects.values("village"))
                    .select_related("district").order_by("code"))
    names = Counter(Village.objects.filter(code__startswith="32.09.").values_list("name", flat=True))
    return next(village for village in villages if names[village.name] == 1 and len(village.name) >= 6)


def free_niks(village: Village, people: list[tuple[datetime.date, bool]]) -> list[str]:
    """NIKs first registered in the village's district that no PMI on record has."""
    niks, serial = [], 9000
    for birth_date, female in people:
        while True:
            serial += 1
            nik = nik_for(district_code=village.district_id, birth_date=birth_date, female=female, serial=serial)
            if not MigrantWorker.objects.filter(nik=nik).exists():
                niks.append(nik)
                break
    return niks


def ddmmyyyy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def test_regency_operator_enters_village_pmi_stages_and_an_excel_import(browser):
    village = a_cirebon_village_outside_the_program()
    today = timezone.localdate()
    born, born_1, born_2, born_3 = (datetime.date(1996, 3, 12), datetime.date(1995, 6, 5),
                                    datetime.date(1989, 8, 15), datetime.date(1990, 7, 5))
    nik, nik_1, nik_2, nik_3 = free_niks(village, [(born, True), (born_1, True), (born_2, False), (born_3, True)])

    browser.log_in("cirebon")
    assert "Kabupaten Cirebon" in browser.title

    # --- a village joins the program, found by typing its name ---------------------------------------
    browser.open("/villages/add/")
    browser.find_element(By.ID, "id_village").send_keys(village.name)
    options = browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#id_village-options option"),
                           message="the type-ahead's villages")
    offered = {option.get_attribute("value"): option.get_attribute("label") for option in options}
    assert f"{village.code} {village.name}" in offered
    assert offered[f"{village.code} {village.name}"] == f"{village.district.name}, Kabupaten Cirebon"
    browser.shot("village-type-ahead", full_page=False)
    browser.fill({"id_village": f"{village.code} {village.name}", "id_year_designated": str(today.year),
                  "id_funding_source": "dana_desa", "id_decree_number": "560/E2E/Disnaker",
                  "id_decree_date": ddmmyyyy(today - datetime.timedelta(days=30))})
    browser.shot("village-form")
    browser.submit(browser.find_element(By.ID, "id_village"))
    browser.wait_for_path(r"^/villages/\d+/$")
    assert f"{village.code} {village.name} telah ditambahkan ke program." in browser.text(".alert-success")
    page = browser.text()
    assert "Dana Desa" in page and "560/E2E/Disnaker" in page and village.district.name in page
    browser.shot("village-added")

    # --- a PMI registers ---------------------------------------------------------------------------------
    browser.open("/migrants/add/")
    browser.fill({"id_nik": nik, "id_name": "Siti Rahmawati", "id_gender": "F", "id_birth_date": ddmmyyyy(born),
                  "id_phone": "081234567890", "id_education": "sma", "id_marital_status": "single",
                  "id_registered_on": ddmmyyyy(today - datetime.timedelta(days=200))})
    browser.find_element(By.ID, "id_village").send_keys(village.name)
    browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#id_village-options option"),
                 message="the type-ahead's villages")
    browser.fill({"id_village": f"{village.code} {village.name}"})
    browser.shot("pmi-form")
    browser.submit(browser.find_element(By.ID, "id_nik"))
    pmi_id = int(browser.wait_for_path(r"^/migrants/(\d+)/$")[1])
    assert "Siti Rahmawati" in browser.text("h1")
    assert "Terdaftar (calon PMI)" in browser.text("h1 .badge")
    assert nik in browser.text()  # the operator serves the area: the NIK is shown whole
    browser.shot("pmi-registered")

    # --- verified → ready → departed (the placement form) → returned --------------------------------
    def stage_action(label: str, fields: dict[str, str], step: str, stage_after: str) -> str:
        """Open the action's form on the PMI's page, fill it, send it; the confirmation shown."""
        [link] = [a for a in browser.find_elements(By.CSS_SELECTOR, "a[hx-target='#stage-action']") if a.text == label]
        browser.click(link)
        form = browser.wait(lambda d: d.find_element(By.CSS_SELECTOR, "#stage-action form"),
                            message=f"the form “{label}”")
        browser.fill(fields)
        browser.shot(f"{step}-form")
        browser.submit(form.find_element(By.CSS_SELECTOR, "input, select"))
        browser.wait(lambda d: stage_after in browser.current_text("h1 .badge"),
                     message=f"the stage {stage_after}")
        browser.shot(step)
        return browser.text(".alert-success")

    verified_on, ready_on = today - datetime.timedelta(days=150), today - datetime.timedelta(days=120)
    verified = stage_action("Tandai terverifikasi", {"id_date": ddmmyyyy(verified_on)}, "verified",
                            "Terverifikasi (calon PMI)")
    assert verified == f"Siti Rahmawati: Terverifikasi (calon PMI) sejak {ddmmyyyy(verified_on)}."
    ready = stage_action("Tandai siap berangkat", {"id_date": ddmmyyyy(ready_on)}, "ready",
                         "Siap berangkat (calon PMI)")
    assert ready == f"Siti Rahmawati: Siap berangkat (calon PMI) sejak {ddmmyyyy(ready_on)}."
    departure, contract_end = today - datetime.timedelta(days=100), today + datetime.timedelta(days=630)
    departed = stage_action("Catat keberangkatan", {
        "id_destination_country": "TW", "id_sector": "informal", "id_job": "Perawat lansia", "id_scheme": "p2p",
        "id_p3mi_name": "PT Jasa Tenaga Kerja Cirebon", "id_departure_date": ddmmyyyy(departure),
        "id_contract_end_date": ddmmyyyy(contract_end)}, "departed", "Bekerja di luar negeri")
    assert departed == f"Keberangkatan telah dicatat: Taiwan {departure.year}."
    placement = browser.text("#placements tbody tr")
    assert "Taiwan" in placement and "Perawat lansia" in placement and ddmmyyyy(departure) in placement
    returned_on = today - datetime.timedelta(days=10)
    [return_label] = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "a[hx-target='#stage-action']")]
    returned = stage_action(return_label, {"id_return_date": ddmmyyyy(returned_on), "id_return_reason": "illness"},
                            "returned", "Telah kembali (PMI purna)")
    assert returned == f"Kepulangan telah dicatat: Taiwan {departure.year}."
    assert ddmmyyyy(returned_on) in browser.text("#placements tbody tr")

    # --- the PMI template: downloaded from the page's link, filled with two mistakes ------------------
    browser.open("/exchange/")
    link = browser.find_element(By.CSS_SELECTOR, "a[href$='/exchange/migrants/template/']")
    assert link.text == "Templat (.xlsx)"
    browser.shot("exchange")
    response = browser.fetch(link.get_attribute("href"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [cell.value for cell in workbook["Data"][1]]
    assert headers[:5] == ["NIK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Kode Desa"]
    rows = [
        {"NIK": nik_1, "Nama": "Dewi Lestari", "Jenis Kelamin": "Perempuan", "Tanggal Lahir": ddmmyyyy(born_1),
         "Kode Desa": village.code},
        {"NIK": nik_2, "Nama": "Budi Santoso", "Jenis Kelamin": "Laki-laki", "Tanggal Lahir": ddmmyyyy(born_2),
         "Kode Desa": village.code},
        {"NIK": nik_3, "Nama": "Ani Suryani", "Jenis Kelamin": "Perempuan", "Tanggal Lahir": ddmmyyyy(born_3),
         "Kode Desa": village.code},
    ]
    for row in rows:
        row["Tanggal Registrasi"] = ddmmyyyy(today - datetime.timedelta(days=7))

    def upload(mistakes: bool, name: str) -> None:
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        sheet = book["Data"]
        for number, row in enumerate(rows, start=2):
            for column, header in enumerate(headers, start=1):
                sheet.cell(number, column, row.get(header))
        if mistakes:
            sheet.cell(2, headers.index("NIK") + 1, 3.20907e15)  # what Excel makes of a NIK typed as a number
            sheet.cell(3, headers.index("Kode Desa") + 1, INDRAMAYU_VILLAGE)
        path = browser.folder / name
        book.save(path)
        browser.open("/exchange/new/?kind=migrants")
        kind = browser.find_element(By.CSS_SELECTOR, "input[name=kind][value=migrants]")
        if not kind.is_selected():
            browser.click(kind)
        browser.find_element(By.ID, "id_file").send_keys(str(path))
        browser.shot(f"upload-{name.removesuffix('.xlsx')}")
        browser.submit(browser.find_element(By.ID, "id_file"))
        browser.wait_for_path(r"^/exchange/\d+/$")

    migrants_before = MigrantWorker.objects.count()
    upload(mistakes=True, name="pmi-with-mistakes.xlsx")
    assert "Ditemukan 2 masalah. Tidak ada data yang disimpan" in browser.text(".alert-danger")
    problems = [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
                for row in browser.find_elements(By.CSS_SELECTOR, "#problems tbody tr")]
    assert [problem[:3] for problem in problems] == [["2", "NIK", "3.20907E+15"],
                                                     ["3", "Kode Desa", INDRAMAYU_VILLAGE]]
    assert "Excel" in problems[0][3]
    assert INDRAMAYU_VILLAGE in problems[1][3]
    browser.shot("import-refused")
    assert MigrantWorker.objects.count() == migrants_before  # nothing was added
    assert not MigrantWorker.objects.filter(nik__in=[nik_1, nik_2, nik_3]).exists()

    upload(mistakes=False, name="pmi-corrected.xlsx")
    assert "Berkas telah diperiksa: 3 baris datanya tidak bermasalah." in browser.text(".alert-primary")
    browser.shot("import-checked")
    browser.submit(browser.find_element(By.CSS_SELECTOR, "form[action$='/confirm/'] button"))
    browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, ".alert-success"), message="the import's result")
    assert "3 ditambahkan, 0 diperbarui, 0 tidak berubah" in browser.text(".alert-success")
    browser.shot("import-done")
    assert MigrantWorker.objects.count() == migrants_before + 3

    # the village's PMI, as the list shows them: the one registered by hand and the three imported
    browser.open(f"/migrants/?area={village.code}")
    listed = browser.text("main table tbody")
    for name in ("Siti Rahmawati", "Dewi Lestari", "Budi Santoso", "Ani Suryani"):
        assert name in listed
    browser.shot("village-pmi-list")

    # --- the PMI's history: who changed what ---------------------------------------------------------
    browser.open(f"/migrants/{pmi_id}/")
    browser.click(browser.find_element(By.LINK_TEXT, "Riwayat"))
    browser.wait_for_path(rf"^/history/migrants\.migrantworker/{pmi_id}/$")
    assert "Riwayat Siti Rahmawati" in browser.text("h1")
    history = browser.texts("main table tbody tr")
    assert len(history) >= 5  # registered, verified, ready, departed, returned
    assert any("Telah kembali (PMI purna)" in row for row in history)
    assert all("cirebon" in row.lower() for row in history)
    browser.shot("pmi-history")
