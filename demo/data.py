"""The fixed facts the demo data is built from: published figures, weights and wording.

Everything that DESIGN.md §1 publishes is reproduced exactly (the villages per year, the pilots,
Cirebon's ten Dana Desa villages); everything else is a plausible weight. Decree numbers,
P3MI names and legal entity numbers are fictional and say so ("DEMO", "Contoh").
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from accounts.choices import Role
from cooperatives.choices import BusinessType
from migrants.choices import Country, Education, MaritalStatus, PlacementScheme, ReturnReason, Stage
from villages.choices import ActivityKind, FundingSource, Pillar

# The demo's "today": a fixed date, so that a rerun on another day builds the same data.
TODAY = datetime.date(2025, 12, 31)
DEFAULT_SEED = 2024
DEMO_PASSWORD = "demo-Desmigratif-2024"

# --- Desmigratif villages (DESIGN.md §1) ----------------------------------------------------

PILOT_VILLAGES = ("32.12.16.2004", "33.07.10.2004")  # Kenanga (Indramayu), Kuripan (Wonosobo)
PILOT_YEAR = 2016
# The village whose presence in the program says "the demo is loaded".
MARKER_VILLAGE = PILOT_VILLAGES[0]

# New villages per year (published figures; 2020 had no batch).
NEW_VILLAGES_PER_YEAR = {2016: 2, 2017: 120, 2018: 130, 2019: 150, 2020: 0, 2021: 51, 2022: 50}
APBN_YEARS = (2016, 2017, 2018, 2019)  # the national budget funded the 402 villages of 2016–2019
CIREBON = "32.09"
# Kabupaten Cirebon developed 10 villages with its Dana Desa, in the regional batches.
CIREBON_DANA_DESA_PER_YEAR = {2021: 6, 2022: 4}
# Other regions' replication in 2021–2022: (funding source, weight)
REGIONAL_FUNDING = ((FundingSource.APBD, 55), (FundingSource.DANA_DESA, 45))

# Regencies that send most PMI, weighted by roughly how many they send.
REGENCY_WEIGHTS = {
    "32.12": 12,  # Indramayu
    "32.09": 8,   # Cirebon
    "52.03": 8,   # Lombok Timur
    "33.01": 7,   # Cilacap
    "52.02": 6,   # Lombok Tengah
    "35.07": 6,   # Malang
    "35.02": 5,   # Ponorogo
    "32.03": 5,   # Cianjur
    "35.05": 5,   # Blitar
    "33.24": 4,   # Kendal
    "35.04": 4,   # Tulungagung
    "32.13": 4,   # Subang
    "33.29": 4,   # Brebes
    "35.10": 4,   # Banyuwangi
    "32.02": 4,   # Sukabumi
    "32.10": 3,   # Majalengka
    "35.09": 3,   # Jember
    "52.01": 3,   # Lombok Barat
    "32.15": 3,   # Karawang
    "18.07": 3,   # Lampung Timur
    "33.02": 3,   # Banyumas
    "33.05": 3,   # Kebumen
    "33.07": 2,   # Wonosobo
}

# Decree waves per year: (date, fictional number). A batch is split evenly over its waves.
DECREE_WAVES: dict[int, tuple[tuple[datetime.date, str], ...]] = {
    2016: ((datetime.date(2016, 11, 28), "DEMO/01/KEP/MEN/2016"),),
    2017: ((datetime.date(2017, 3, 20), "DEMO/01/KEP/MEN/2017"),
           (datetime.date(2017, 9, 11), "DEMO/02/KEP/MEN/2017")),
    2018: ((datetime.date(2018, 2, 26), "DEMO/01/KEP/MEN/2018"),
           (datetime.date(2018, 8, 6), "DEMO/02/KEP/MEN/2018")),
    2019: ((datetime.date(2019, 3, 4), "DEMO/01/KEP/MEN/2019"),
           (datetime.date(2019, 7, 22), "DEMO/02/KEP/MEN/2019")),
    2021: ((datetime.date(2021, 6, 14), "DEMO/01/KEP/MEN/2021"),),
    2022: ((datetime.date(2022, 5, 23), "DEMO/01/KEP/MEN/2022"),),
}
DESA_MIGRAN_EMAS_COUNT = 15  # "a few" villages labelled by KP2MI since 2025 (Kenanga among them)
DESA_MIGRAN_EMAS_NOTE = "Desa Migran Emas (KP2MI) sejak 2025."
PILOT_NOTE = "Desa percontohan Desmigratif 2016."
CIREBON_NOTE = "Replikasi Desmigratif dengan Dana Desa Kabupaten Cirebon."

# --- Pillar activities ------------------------------------------------------------------------

ACTIVITY_VILLAGE_SHARE = 0.88  # program villages that record activities at all
ACTIVITIES_PER_YEAR_WEIGHTS = {0: 10, 1: 25, 2: 30, 3: 20, 4: 10, 5: 5}
PILLAR_WEIGHTS = {Pillar.MIGRATION_SERVICE: 40, Pillar.PRODUCTIVE_BUSINESS: 25,
                  Pillar.COMMUNITY_PARENTING: 20, Pillar.COOPERATIVE: 15}
ACTIVITY_PARTNER_SHARE = 0.35
ACTIVITY_TITLES: dict[str, tuple[str, ...]] = {
    ActivityKind.JOB_INFORMATION: ("Sosialisasi informasi pasar kerja luar negeri",
                                   "Penyebaran informasi lowongan kerja resmi"),
    ActivityKind.GUIDANCE: ("Bimbingan migrasi aman bagi calon PMI", "Konsultasi prosedur penempatan PMI"),
    ActivityKind.DATA_VERIFICATION: ("Verifikasi data calon PMI", "Pemutakhiran data calon PMI desa"),
    ActivityKind.DOCUMENT_FACILITATION: ("Fasilitasi dokumen kependudukan calon PMI",
                                         "Pendampingan pengurusan paspor dan dokumen"),
    ActivityKind.FAMILY_ASSISTANCE: ("Pendampingan keluarga PMI bermasalah", "Layanan pengaduan keluarga PMI"),
    ActivityKind.MIGRATION_RECORDING: ("Pencatatan keberangkatan dan kepulangan PMI",
                                       "Rekapitulasi data mobilitas PMI"),
    ActivityKind.ENTREPRENEURSHIP_TRAINING: ("Pelatihan kewirausahaan PMI purna",
                                             "Pelatihan olahan pangan bagi keluarga PMI"),
    ActivityKind.APPROPRIATE_TECHNOLOGY: ("Pelatihan teknologi tepat guna", "Pengenalan alat pengolah hasil tani"),
    ActivityKind.EQUIPMENT_AID: ("Penyerahan bantuan peralatan usaha", "Bantuan sarana usaha produktif"),
    ActivityKind.INCUBATION: ("Inkubasi usaha PMI purna", "Pendampingan usaha rintisan keluarga PMI"),
    ActivityKind.MARKETING: ("Pemasaran produk usaha desa migran", "Pelatihan pemasaran daring"),
    ActivityKind.PARENTING_SESSION: ("Sesi pengasuhan bersama (community parenting)",
                                     "Pertemuan pengasuh anak PMI"),
    ActivityKind.CHILDREN_LEARNING: ("Kegiatan belajar dan literasi anak PMI", "Kelas seni dan olahraga anak"),
    ActivityKind.COUNSELLING: ("Konseling anak dan keluarga PMI", "Konsultasi tumbuh kembang anak"),
    ActivityKind.COOPERATIVE_FORMATION: ("Pembentukan koperasi desa migran", "Rapat pembentukan BUMDes"),
    ActivityKind.COOPERATIVE_TRAINING: ("Pelatihan manajemen koperasi", "Pelatihan pembukuan koperasi"),
    ActivityKind.MEMBER_MEETING: ("Rapat anggota tahunan", "Pertemuan rutin anggota koperasi"),
    ActivityKind.SAVINGS_AND_CREDIT: ("Layanan simpan pinjam anggota", "Sosialisasi tabungan PMI"),
}
# Documented partners that plausibly work on each pillar; picked only when valid at the date.
PILLAR_PARTNERS: dict[int, tuple[str, ...]] = {
    Pillar.MIGRATION_SERVICE: ("Kemnaker", "BP2MI", "KP2MI", "BPJS TK", "Ditjen Imigrasi", "Kemendagri",
                               "Kemenkes"),
    Pillar.PRODUCTIVE_BUSINESS: ("Kemenkop UKM", "Kemendes PDTT", "BRI", "BNI", "BI", "Kementan", "Kemkominfo",
                                 "Komdigi", "Bekraf", "Kemenpar"),
    Pillar.COMMUNITY_PARENTING: ("KemenPPPA", "Kemendikbud", "Kemensos", "Kemenpora", "Kemenkes"),
    Pillar.COOPERATIVE: ("Kemenkop UKM", "Kemendes PDTT", "BRI", "BNI"),
}

# --- Engagements --------------------------------------------------------------------------


@dataclass(frozen=True)
class EngagementTemplate:
    acronym: str
    pillar: int
    kind: str
    description: str
    budget: tuple[int, int]  # Rp, inclusive range
    levels: tuple[str, ...]  # among "national", "regency", "village"


ENGAGEMENT_YEARS = range(2017, TODAY.year + 1)
ENGAGEMENT_TEMPLATES = (
    EngagementTemplate("Kemnaker", Pillar.MIGRATION_SERVICE, "funding",
                       "Dana operasional Desmigratif dan honor petugas", (5_000_000_000, 25_000_000_000),
                       ("national",)),
    EngagementTemplate("Kemnaker", Pillar.MIGRATION_SERVICE, "training",
                       "Bimbingan teknis petugas Desmigratif", (50_000_000, 300_000_000), ("regency",)),
    EngagementTemplate("Kemendes PDTT", Pillar.PRODUCTIVE_BUSINESS, "funding",
                       "Dukungan Dana Desa untuk usaha produktif desa migran", (500_000_000, 3_000_000_000),
                       ("national",)),
    EngagementTemplate("Kemendes PDTT", Pillar.COOPERATIVE, "training",
                       "Pendampingan BUMDes di desa migran", (25_000_000, 150_000_000), ("regency", "village")),
    EngagementTemplate("Kemenkop UKM", Pillar.COOPERATIVE, "training",
                       "Pelatihan perkoperasian bagi PMI purna dan keluarganya", (50_000_000, 400_000_000),
                       ("national", "regency")),
    EngagementTemplate("BP2MI", Pillar.MIGRATION_SERVICE, "service",
                       "Sosialisasi migrasi aman dan layanan pelindungan PMI", (100_000_000, 900_000_000),
                       ("national", "regency")),
    EngagementTemplate("KP2MI", Pillar.MIGRATION_SERVICE, "service",
                       "Layanan pelindungan PMI dan pembinaan Desa Migran Emas", (100_000_000, 900_000_000),
                       ("national", "regency")),
    EngagementTemplate("BPJS TK", Pillar.MIGRATION_SERVICE, "service",
                       "Sosialisasi dan kepesertaan BPJS Ketenagakerjaan bagi calon PMI dan PMI",
                       (10_000_000, 250_000_000), ("national", "regency", "village")),
    EngagementTemplate("BRI", Pillar.PRODUCTIVE_BUSINESS, "credit",
                       "Penyaluran KUR bagi PMI purna dan keluarga PMI", (100_000_000, 2_000_000_000),
                       ("regency", "village")),
    EngagementTemplate("BNI", Pillar.PRODUCTIVE_BUSINESS, "credit",
                       "KUR dan tabungan bagi PMI dan keluarganya", (100_000_000, 1_500_000_000),
                       ("regency", "village")),
    EngagementTemplate("BI", Pillar.PRODUCTIVE_BUSINESS, "training",
                       "Edukasi literasi keuangan dan remitansi bagi keluarga PMI", (25_000_000, 200_000_000),
                       ("national", "regency")),
    EngagementTemplate("KemenPPPA", Pillar.COMMUNITY_PARENTING, "training",
                       "Pendampingan pengasuhan anak PMI (community parenting)", (25_000_000, 300_000_000),
                       ("national", "regency")),
    EngagementTemplate("Kemendikbud", Pillar.COMMUNITY_PARENTING, "service",
                       "Layanan pendidikan dan literasi anak PMI", (25_000_000, 200_000_000), ("regency",)),
    EngagementTemplate("Kemenkes", Pillar.MIGRATION_SERVICE, "service",
                       "Layanan kesehatan calon PMI dan keluarga PMI", (25_000_000, 200_000_000), ("regency",)),
    EngagementTemplate("Kemensos", Pillar.COMMUNITY_PARENTING, "service",
                       "Pendampingan sosial keluarga PMI bermasalah", (25_000_000, 150_000_000), ("regency",)),
    EngagementTemplate("Kementan", Pillar.PRODUCTIVE_BUSINESS, "training",
                       "Pelatihan pertanian dan peternakan bagi PMI purna", (25_000_000, 200_000_000),
                       ("regency", "village")),
    EngagementTemplate("Kemendagri", Pillar.MIGRATION_SERVICE, "service",
                       "Layanan administrasi kependudukan calon PMI", (0, 50_000_000), ("regency",)),
    EngagementTemplate("Ditjen Imigrasi", Pillar.MIGRATION_SERVICE, "service",
                       "Layanan paspor jemput bola di desa migran", (0, 75_000_000), ("regency", "village")),
    EngagementTemplate("Kemlu", Pillar.MIGRATION_SERVICE, "service",
                       "Pelindungan WNI dan PMI di luar negeri", (0, 500_000_000), ("national",)),
    EngagementTemplate("Kemkominfo", Pillar.PRODUCTIVE_BUSINESS, "training",
                       "Pelatihan pemasaran digital produk desa migran", (25_000_000, 250_000_000),
                       ("national", "regency")),
    EngagementTemplate("Komdigi", Pillar.PRODUCTIVE_BUSINESS, "training",
                       "Pelatihan pemasaran digital produk desa migran", (25_000_000, 250_000_000),
                       ("national", "regency")),
    EngagementTemplate("Kemenpar", Pillar.PRODUCTIVE_BUSINESS, "training",
                       "Pengembangan desa wisata di desa migran", (25_000_000, 200_000_000), ("regency", "village")),
    EngagementTemplate("Bekraf", Pillar.PRODUCTIVE_BUSINESS, "training",
                       "Pelatihan ekonomi kreatif bagi PMI purna", (25_000_000, 200_000_000),
                       ("national", "regency")),
    EngagementTemplate("Kemenpora", Pillar.COMMUNITY_PARENTING, "service",
                       "Kegiatan olahraga dan kepemudaan bagi anak PMI", (10_000_000, 100_000_000), ("regency",)),
    EngagementTemplate("Kementerian BUMN", Pillar.PRODUCTIVE_BUSINESS, "funding",
                       "Program kemitraan BUMN bagi usaha PMI purna", (100_000_000, 1_000_000_000), ("national",)),
    EngagementTemplate("Kemenkumham", Pillar.MIGRATION_SERVICE, "service",
                       "Penyuluhan hukum bagi calon PMI dan keluarganya", (0, 50_000_000), ("regency",)),
    EngagementTemplate("Kemenko PMK", Pillar.MIGRATION_SERVICE, "service",
                       "Koordinasi lintas kementerian program Desmigratif", (0, 0), ("national",)),
    EngagementTemplate("Pemda", Pillar.MIGRATION_SERVICE, "funding",
                       "Replikasi Desmigratif dengan APBD", (100_000_000, 1_500_000_000), ("regency",)),
    EngagementTemplate("Pemda", Pillar.MIGRATION_SERVICE, "infrastructure",
                       "Sarana Pusat Layanan Migrasi dari Dana Desa", (20_000_000, 150_000_000), ("village",)),
    # PUPR is documented only as a proposed partner: no engagement is made up for it.
)
NATIONAL_ENGAGEMENT_SHARE = 0.6
REGENCY_ENGAGEMENTS_PER_YEAR = (1, 3)
VILLAGE_ENGAGEMENT_SHARE = 0.3

# --- Cooperatives -------------------------------------------------------------------------

COOPERATIVE_VILLAGE_SHARE = 0.45
BUMDES_SHARE = 0.2
COOPERATIVE_NAMES = ("Koperasi Desmigratif {village}", "Koperasi Produktif Migran {village}",
                     "Koperasi Simpan Pinjam Migran Sejahtera {village}", "Koperasi Serba Usaha Purna Migran {village}")
BUMDES_NAMES = ("BUMDes {village} Mandiri", "BUMDes {village} Sejahtera")
COOPERATIVE_BUSINESS_WEIGHTS = {BusinessType.SAVINGS_AND_LOANS: 45, BusinessType.MULTI_PURPOSE: 30,
                                BusinessType.PRODUCER: 10, BusinessType.MARKETING: 8, BusinessType.CONSUMER: 4,
                                BusinessType.SERVICES: 3}
BUMDES_BUSINESS_WEIGHTS = {BusinessType.MULTI_PURPOSE: 50, BusinessType.SERVICES: 25, BusinessType.MARKETING: 25}
RETURNEE_MEMBER_SHARE = 0.45  # returnees of a village with a cooperative who joined it
OTHER_MEMBERS_PER_COOPERATIVE = (2, 6)  # named members who are not in the PMI records

# --- PMI ------------------------------------------------------------------------------------

MIGRANT_COUNT = 3000
REGISTRATION_START = datetime.date(2016, 1, 1)
STAGE_WEIGHTS = {Stage.REGISTERED: 8, Stage.VERIFIED: 6, Stage.IN_TRAINING: 6, Stage.READY: 4,
                 Stage.ABROAD: 40, Stage.RETURNED: 36}
PROGRAM_VILLAGE_ORIGIN_SHARE = 0.75  # the rest come from other villages of the same regencies
PILOT_ORIGIN_WEIGHT = 8
FOCUS_REGENCY_ORIGIN_WEIGHT = 2  # Cirebon and Indramayu, the regencies of the demo users
FEMALE_SHARE_PROSPECTIVE = 0.65
NIK_FLAG_SHARE = 0.02
# How a NIK comes to need verification: (kind, weight). "regency"/"district": registered under a
# code that is no longer current; "birth_date"/"gender": the record disagrees with the NIK.
NIK_FLAG_KINDS = (("regency", 30), ("district", 20), ("birth_date", 35), ("gender", 15))
EDUCATION_WEIGHTS = {Education.NONE: 1, Education.SD: 25, Education.SMP: 38, Education.SMA: 30,
                     Education.DIPLOMA: 3, Education.BACHELOR: 3}
MARITAL_WEIGHTS = {MaritalStatus.MARRIED: 55, MaritalStatus.SINGLE: 30, MaritalStatus.DIVORCED: 12,
                   MaritalStatus.WIDOWED: 3}
PHONE_SHARE = 0.7
PHONE_PREFIX = "0800"  # not a mobile prefix: no demo number can ring a real phone


@dataclass(frozen=True)
class Destination:
    weight: float
    female_share: float
    informal_share_women: float
    informal_share_men: float
    contract_months: int
    schemes: dict[str, int]
    formal_jobs: tuple[str, ...]


_P2P = {PlacementScheme.P_TO_P: 85, PlacementScheme.INDEPENDENT: 8, PlacementScheme.G_TO_P: 7}
_FACTORY = ("Operator pabrik", "Pekerja konstruksi", "Pekerja pengolahan makanan")
# Top destinations of 2023 first (Taiwan, Malaysia, Hong Kong, Korea, Japan, Singapore, Saudi …).
DESTINATIONS: dict[str, Destination] = {
    Country.TW: Destination(30, 0.62, 0.75, 0.15, 36, _P2P, ("Operator pabrik", "Anak buah kapal perikanan",
                                                             "Perawat panti jompo")),
    Country.MY: Destination(26, 0.45, 0.55, 0.05, 24, _P2P, ("Pekerja perkebunan kelapa sawit", "Operator pabrik",
                                                             "Pekerja konstruksi")),
    Country.HK: Destination(23, 0.97, 0.98, 0.5, 24, _P2P, ("Pekerja restoran",)),
    Country.KR: Destination(4.5, 0.1, 0.0, 0.0, 58, {PlacementScheme.G_TO_G: 92, PlacementScheme.P_TO_P: 8},
                            ("Operator manufaktur", "Anak buah kapal perikanan", "Pekerja pertanian")),
    Country.JP: Destination(4.5, 0.35, 0.0, 0.0, 36,
                            {PlacementScheme.P_TO_P: 70, PlacementScheme.G_TO_G: 20, PlacementScheme.INDEPENDENT: 10},
                            ("Perawat (kaigo)", "Operator manufaktur", "Pekerja konstruksi", "Pekerja pertanian")),
    Country.SG: Destination(3, 0.9, 0.9, 0.3, 24, _P2P, ("Pekerja galangan kapal", "Pekerja restoran")),
    Country.SA: Destination(2.5, 0.7, 0.8, 0.3, 24, _P2P, ("Pekerja hotel", "Sopir", "Pekerja konstruksi")),
    Country.BN: Destination(1.3, 0.6, 0.7, 0.1, 24, _P2P, _FACTORY),
    Country.IT: Destination(0.6, 0.5, 0.2, 0.0, 24, _P2P, ("Terapis spa", "Pekerja hotel")),
    Country.TR: Destination(0.6, 0.5, 0.2, 0.0, 24, _P2P, ("Terapis spa", "Pekerja hotel")),
    Country.PL: Destination(0.5, 0.3, 0.0, 0.0, 24, _P2P, ("Operator pabrik", "Pekerja pengolahan makanan")),
    Country.AE: Destination(0.5, 0.6, 0.6, 0.1, 24, _P2P, ("Pekerja hotel", "Pekerja restoran")),
    Country.QA: Destination(0.3, 0.5, 0.5, 0.1, 24, _P2P, ("Pekerja hotel", "Pekerja konstruksi")),
    Country.KW: Destination(0.2, 0.6, 0.7, 0.1, 24, _P2P, _FACTORY),
}
INFORMAL_JOBS_WOMEN = ("Penata laksana rumah tangga", "Pengasuh lansia", "Pengasuh anak")
INFORMAL_JOBS_MEN = ("Sopir keluarga", "Tukang kebun", "Perawat lansia")
# Fictional placement agencies: "Contoh" (example) marks them as demo data.
P3MI_NAMES = ("PT Contoh Karya Mandiri", "PT Contoh Bina Tenaga Sejahtera", "PT Contoh Duta Migran",
              "PT Contoh Jasa Penempatan Nusantara", "PT Contoh Mitra Kerja Utama", "PT Contoh Sarana Pekerja",
              "PT Contoh Cahaya Penempatan", "PT Contoh Anugerah Tenaga Kerja")
RETURN_REASON_WEIGHTS = {ReturnReason.CONTRACT_ENDED: 80, ReturnReason.UNPAID_WAGES: 5, ReturnReason.ABUSE: 3,
                         ReturnReason.ILLNESS: 5, ReturnReason.DEPORTED: 3, ReturnReason.DEATH: 1,
                         ReturnReason.OTHER: 3}
REPEAT_SHARE_RETURNED = 0.15  # returnees who had worked abroad before the last stay
REPEAT_SHARE_ABROAD = 0.2

# --- Reintegration ------------------------------------------------------------------------

REINTEGRATION_SHARE = 0.65  # of returnees (every cooperative member has one)
TRAININGS = ("Pelatihan kewirausahaan Desmigratif", "Pelatihan olahan pangan", "Pelatihan menjahit",
             "Literasi keuangan", "Pelatihan budidaya ikan", "Pelatihan pemasaran digital")
BUSINESS_TYPES = ("Warung sembako", "Ternak kambing", "Usaha jahit", "Kuliner rumahan", "Bengkel motor",
                  "Toko daring", "Budidaya ikan lele", "Kerajinan anyaman")
CREDIT_BANKS = (("BRI", 65), ("BNI", 35))

# --- Demo users (DESIGN.md §5) -------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    last_name: str = "(demo)"
    province: str = ""
    regency: str = ""
    # the village is the first Desmigratif village of this regency (set when the data exists)
    village_in_regency: str = ""
    agency: str = ""
    # only the administrator uses the Django admin: every other role works in the portal's pages
    is_staff: bool = False
    is_superuser: bool = False


BPJS_ACRONYM = "BPJS TK"
DEMO_USERS = (
    DemoUser("admin", Role.ADMIN, "Administrator", is_staff=True, is_superuser=True),
    DemoUser("kemnaker", Role.MINISTRY, "Staf Kemnaker"),
    DemoUser("jabar", Role.PROVINCE_OFFICER, "Petugas Provinsi Jawa Barat", province="32"),
    DemoUser("cirebon", Role.REGENCY_OPERATOR, "Operator Disnaker Cirebon", regency=CIREBON),
    DemoUser("indramayu", Role.REGENCY_OPERATOR, "Operator Disnaker Indramayu", regency="32.12"),
    DemoUser("petugas", Role.VILLAGE_OFFICER, "Petugas Desmigratif", village_in_regency=CIREBON),
    DemoUser("bpjs", Role.AGENCY_STAFF, "Staf BPJS Ketenagakerjaan", agency=BPJS_ACRONYM),
)
# Earlier demos gave the other roles admin groups with model permissions; the admin is for
# administrators only now, so load_demo deletes these groups where an earlier run made them.
RETIRED_GROUPS = ("Ministry staff", "Province officers", "Regency operators")
