"""The report as an .xlsx: a summary sheet and a sheet per section, in Indonesian, the government's
working language. It shows the figures as its reader may see them (``figures_shown``): for a reader
who does not serve the area, counts of persons rounded to the nearest 10 and 0 to 4 as "<5", as
everywhere the report is shown. A download is made for its reader from the frozen figures; the file
kept with the report is the rounded one, so that no file at rest holds the exact small counts."""
from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import translation
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from accounts.disclosure import Small, hides_small_counts
from migrants.choices import Country, ReturnReason
from villages.choices import FundingSource, Pillar

from .figures import figures_shown

HEADER = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
TITLE = Font(bold=True, size=14)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROUNDED_NOTE = "Angka PMI dibulatkan ke kelipatan 10 terdekat; 0 sampai 4 ditulis <5 (UU 27/2022)."


def small(count):
    """A count as a cell: ``<5`` as the text, the others as they are (already as the reader may see them)."""
    return str(count) if isinstance(count, Small) else count


def workbook_filename(report) -> str:
    return f"laporan-desmigratif-{report.area_code or 'nasional'}-{report.year}-v{report.version}.xlsx"


def workbook_response(report, *, user) -> HttpResponse:
    """The report's .xlsx for this reader, made from its frozen figures."""
    content = report_workbook(report, report.figures, protect=hides_small_counts(user, report.area_code))
    return HttpResponse(content, content_type=XLSX, headers={
        "Content-Disposition": content_disposition_header(True, workbook_filename(report))})


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER, HEADER_FILL
    for row in rows:
        sheet.append(row)
    for index, _label in enumerate(header, start=1):
        width = max(len(str(sheet.cell(row=r, column=index).value or "")) for r in range(1, sheet.max_row + 1))
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 60)
    sheet.freeze_panes = "B2"


def report_workbook(report, figures: dict, *, protect: bool = True) -> bytes:
    """The .xlsx of the report's exact ``figures``, with counts of persons as shown to a reader who does
    (``protect``, the default: the file kept with the report) or does not need them rounded."""
    with translation.override("id"):
        return _workbook(report, figures_shown(figures, protect=protect), rounded=protect)


def _workbook(report, f: dict, *, rounded: bool) -> bytes:
    year, previous = f["year"], f["previous"]
    villages, activities, migrants = f["villages"], f["activities"], f["migrants"]
    cooperatives, engagements = f["cooperatives"], f["engagements"]
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Ringkasan"
    summary.append([f"Laporan pertumbuhan Desmigratif {year} — {report.area_name}"])
    summary["A1"].font = TITLE
    summary.append([f"Versi {report.version}; data s.d. {report.as_of:%d/%m/%Y}"])
    summary.append([ROUNDED_NOTE] if rounded else [])
    summary.append(["Angka", str(year), str(previous), "Perubahan"])
    for cell in summary[4]:
        cell.font, cell.fill = HEADER, HEADER_FILL
    rows = [
        ("Desa Desmigratif (kumulatif)", villages["cumulative"], villages["previous_cumulative"]),
        ("Desa Desmigratif baru", villages["new"], villages["previous_new"]),
        ("Kegiatan pilar", activities["activities"], activities["previous_activities"]),
        ("Peserta kegiatan", activities["participants"], activities["previous_participants"]),
        ("PMI terdaftar", small(migrants["registered"]), small(migrants["previous_registered"])),
        ("PMI berangkat", small(migrants["departed"]), small(migrants["previous_departed"])),
        ("PMI kembali", small(migrants["returned"]), small(migrants["previous_returned"])),
        ("Koperasi", cooperatives["count"], cooperatives["previous_count"]),
        ("Anggota koperasi", cooperatives["members"], cooperatives["previous_members"]),
        ("Modal koperasi (Rp)", cooperatives["capital"], cooperatives["previous_capital"]),
        ("Pendapatan koperasi (Rp)", cooperatives["revenue"], cooperatives["previous_revenue"]),
        ("SHU koperasi (Rp)", cooperatives["shu"], cooperatives["previous_shu"]),
        ("Keterlibatan instansi", engagements["count"], engagements["previous_count"]),
        ("Instansi terlibat", engagements["agencies"], engagements["previous_agencies"]),
    ]
    for label, now, before in rows:
        change = now - before if isinstance(now, int | float) and isinstance(before, int | float) else None
        summary.append([label, now, before, change])
    summary.append([])
    summary.append(["Pertumbuhan desa terhadap tahun sebelumnya (%)", villages["growth_percent"]])
    summary.append(["Pertumbuhan desa sejak 2016 (desa)", villages["growth_since_start"]])
    summary.column_dimensions["A"].width = 48
    for column in "BCD":
        summary.column_dimensions[column].width = 16

    _sheet(workbook, "Desa", ["Tahun", "Desa baru", "Kumulatif"],
           [[row["year"], row["new"], row["cumulative"]] for row in villages["per_year"]])
    sheet = workbook["Desa"]
    sheet.append([])
    sheet.append(["Sumber pendanaan", "Desa s.d. tahun ini", f"Desa baru {year}"])
    for source in FundingSource:
        sheet.append([str(source.label), villages["funding"].get(source.value, 0),
                      villages["funding_new"].get(source.value, 0)])
    _sheet(workbook, "Kegiatan", ["Pilar", f"Kegiatan {year}", f"Kegiatan {previous}", f"Peserta {year}",
                                  f"Peserta {previous}", "Perempuan", "Laki-laki", "Anggaran (Rp)"],
           [[str(Pillar(p["pillar"]).label), p["activities"], p["previous_activities"], p["participants"],
             p["previous_participants"], p["women"], p["men"], p["budget"]] for p in activities["pillars"]])
    _sheet(workbook, "PMI", ["Negara tujuan", f"Berangkat {year}", f"Berangkat {previous}"],
           [[str(Country(d["code"]).label) if d["code"] in Country.values else d["code"], small(d["count"]),
             small(d["previous"])] for d in migrants["destinations"]])
    sheet = workbook["PMI"]
    sheet.append([])
    sheet.append(["Alasan kembali", f"Kembali {year}", f"Kembali {previous}"])
    for reason in migrants["return_reasons"]:
        label = ReturnReason(reason["code"]).label if reason["code"] in ReturnReason.values else reason["code"]
        sheet.append([str(label), small(reason["count"]), small(reason["previous"])])
    sheet.append([])
    reintegration = migrants["reintegration"]
    for label, key in (("PMI purna dengan catatan reintegrasi", "recorded"), ("Memiliki usaha", "with_business"),
                       ("Anggota koperasi", "in_cooperative"), ("Kredit bank/KUR", "with_credit"),
                       ("Peserta BPJS Ketenagakerjaan", "with_bpjs")):
        sheet.append([label, small(reintegration[key])])
    _sheet(workbook, "Koperasi", ["Angka", str(year), str(previous)],
           [[label, small(cooperatives[key]), small(cooperatives[f"previous_{key}"])] for label, key in (
               ("Koperasi yang melapor", "reporting"), ("Anggota", "members"),
               ("Anggota PMI purna", "members_returned_pmi"), ("Modal (Rp)", "capital"), ("Aset (Rp)", "assets"),
               ("Pendapatan (Rp)", "revenue"), ("SHU (Rp)", "shu"))])
    _sheet(workbook, "Instansi", ["Instansi", "Nama", f"Keterlibatan {year}", "Anggaran (Rp)",
                                  *[str(Pillar(p).label) for p in (1, 2, 3, 4)]],
           [[a["acronym"], a["name"], a["count"], a["budget"], *[a["pillars"][str(p)] for p in (1, 2, 3, 4)]]
            for a in engagements["by_agency"]])
    level = {"": "Provinsi", 2: "Kabupaten/kota", 5: "Kecamatan"}[len(report.area_code) or ""]
    _sheet(workbook, "Wilayah", ["Kode", level, "Desa Desmigratif", f"Desa baru {year}", "Kegiatan", "Peserta",
                                 "PMI terdaftar", "PMI berangkat", "PMI kembali", "Koperasi", "Anggota koperasi",
                                 "Keterlibatan"],
           [[a["code"], a["name"], a.get("villages_cumulative", 0), a.get("villages_new", 0), a.get("activities", 0),
             a.get("participants", 0), small(a.get("registered", 0)), small(a.get("departed", 0)),
             small(a.get("returned", 0)), a.get("cooperatives", 0), a.get("members", 0), a.get("engagements", 0)]
            for a in f["areas"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
