"""Seed the agencies the program documents as partners (DESIGN.md §1, "Collaborating agencies").

No public source names all 16 collaborating ministries and agencies, so this is the documented
list only: nothing is added to make up the number. Production needs these rows (engagements,
agency users), which is why they come with a migration and not with the demo data.

Validity dates are set only where a documented partner was renamed or reorganised: the Kabinet
Indonesia Maju (October 2019) merged Bekraf into the tourism ministry; the Kabinet Merah Putih
(21 October 2024) renamed Kemkominfo to Komdigi, raised BP2MI to the ministry KP2MI, and split
Kemenkop UKM, Kemendes PDTT, Kemenkumham, Kemendikbud and PUPR. Successors are linked only where
the successor is itself a documented partner (Komdigi, KP2MI); the others' successors are not
documented as partners and are left for an administrator to add.

Running it again (or on a database where an administrator already added one of these acronyms)
updates the rows by acronym instead of duplicating them.
"""
import datetime

from django.db import migrations

PRESS = "Documented as a Desmigratif partner in program press material (Kemnaker, 2017–2022)."
CABINET_2024 = datetime.date(2024, 10, 20)  # last day before the Kabinet Merah Putih ministries
NEW_2024 = datetime.date(2024, 10, 21)

# (acronym, full name, kind, valid_from, valid_until, successor acronym, source)
AGENCIES = [
    ("Kemnaker", "Kementerian Ketenagakerjaan", "ministry", None, None, "",
     "Leads the program (Permenaker No. 2 Tahun 2019). " + PRESS),
    ("Kemendes PDTT", "Kementerian Desa, Pembangunan Daerah Tertinggal, dan Transmigrasi", "ministry",
     None, CABINET_2024, "",
     "Co-leads the program with Kemnaker. " + PRESS + " Reorganised in October 2024 (transmigration split off)."),
    ("Kemenkop UKM", "Kementerian Koperasi dan Usaha Kecil dan Menengah", "ministry", None, CABINET_2024, "",
     "Builds cooperatives in program villages. " + PRESS
     + " Split in October 2024 into the ministries of cooperatives and of SMEs."),
    ("Kemenkes", "Kementerian Kesehatan", "ministry", None, None, "", PRESS),
    ("Kemenpar", "Kementerian Pariwisata", "ministry", None, None, "", PRESS),
    ("Kemenpora", "Kementerian Pemuda dan Olahraga", "ministry", None, None, "", PRESS),
    ("Kementerian BUMN", "Kementerian Badan Usaha Milik Negara", "ministry", None, None, "", PRESS),
    ("Kemkominfo", "Kementerian Komunikasi dan Informatika", "ministry", None, CABINET_2024, "Komdigi",
     PRESS + " Renamed Komdigi in October 2024."),
    ("Komdigi", "Kementerian Komunikasi dan Digital", "ministry", NEW_2024, None, "",
     "Successor of Kemkominfo (October 2024). " + PRESS),
    ("Kemenkumham", "Kementerian Hukum dan Hak Asasi Manusia", "ministry", None, CABINET_2024, "",
     PRESS + " Split in October 2024."),
    ("KemenPPPA", "Kementerian Pemberdayaan Perempuan dan Perlindungan Anak", "ministry", None, None, "", PRESS),
    ("Kemendikbud", "Kementerian Pendidikan dan Kebudayaan", "ministry", None, CABINET_2024, "",
     PRESS + " Split in October 2024."),
    ("Bekraf", "Badan Ekonomi Kreatif", "agency", None, datetime.date(2019, 10, 23), "",
     PRESS + " Merged into the tourism and creative economy ministry in October 2019."),
    ("Kemlu", "Kementerian Luar Negeri", "ministry", None, None, "", PRESS),
    ("Ditjen Imigrasi", "Direktorat Jenderal Imigrasi", "agency", None, None, "", PRESS),
    ("Kemensos", "Kementerian Sosial", "ministry", None, None, "", PRESS),
    ("Kementan", "Kementerian Pertanian", "ministry", None, None, "", PRESS),
    ("Kemendagri", "Kementerian Dalam Negeri", "ministry", None, None, "", PRESS),
    ("Kemenko PMK", "Kementerian Koordinator Bidang Pembangunan Manusia dan Kebudayaan", "ministry",
     None, None, "", PRESS),
    ("BPJS TK", "Badan Penyelenggara Jaminan Sosial Ketenagakerjaan (BPJS Ketenagakerjaan)",
     "social_security", None, None, "", PRESS),
    ("BP2MI", "Badan Pelindungan Pekerja Migran Indonesia", "agency", None, CABINET_2024, "KP2MI",
     PRESS + " Raised to the ministry KP2MI in October 2024."),
    ("KP2MI", "Kementerian Pelindungan Pekerja Migran Indonesia", "ministry", NEW_2024, None, "",
     "Successor of BP2MI (October 2024); runs Desa Migran Emas since 2025. " + PRESS),
    ("Pemda", "Pemerintah daerah (provinsi, kabupaten/kota, desa)", "local_government", None, None, "",
     "Local governments replicate the program with APBD or Dana Desa. " + PRESS),
    ("PUPR", "Kementerian Pekerjaan Umum dan Perumahan Rakyat", "ministry", None, CABINET_2024, "",
     "Proposed as a partner in program press material. Split in October 2024."),
    ("BI", "Bank Indonesia", "bank", None, None, "", PRESS),
    ("BRI", "PT Bank Rakyat Indonesia (Persero) Tbk", "bank", None, None, "", PRESS),
    ("BNI", "PT Bank Negara Indonesia (Persero) Tbk", "bank", None, None, "", PRESS),
]


def seed(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    rows = {}
    for acronym, name, kind, valid_from, valid_until, _successor, source in AGENCIES:
        rows[acronym], _ = Agency.objects.update_or_create(
            acronym=acronym,
            defaults={"name": name, "kind": kind, "valid_from": valid_from, "valid_until": valid_until,
                      "source": source},
        )
    # successors point at rows of this same list, so they are linked once all rows exist
    for acronym, *_rest, successor, _source in AGENCIES:
        if successor:
            rows[acronym].successor = rows[successor]
            rows[acronym].save(update_fields=["successor"])


def unseed(apps, schema_editor):
    # Agencies that engagements, activities or users point at are protected (PROTECT): undoing
    # the seed then fails loudly rather than taking program data with it.
    Agency = apps.get_model("agencies", "Agency")
    acronyms = [row[0] for row in AGENCIES]
    Agency.objects.filter(acronym__in=acronyms).update(successor=None)
    Agency.objects.filter(acronym__in=acronyms).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("agencies", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
