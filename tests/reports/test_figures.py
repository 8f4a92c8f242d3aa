"""Every figure of a report on a small hand-made data set in Aceh (11), where the demo has nothing.
The expected numbers are counted by hand below, not by the code under test."""
import datetime
from decimal import Decimal

import pytest

from agencies.choices import EngagementLevel
from agencies.models import Agency
from migrants.choices import Stage
from regions.models import Regency, Village
from reports.figures import report_figures
from tests import factories as f
from villages.choices import FundingSource

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def aceh():
    v = {code: Village.objects.get(code=code) for code in ("11.01.01.2001", "11.01.01.2002", "11.02.01.2001")}
    villages = [
        f.DesmigratifVillageFactory(village=v["11.01.01.2001"], year_designated=2021,
                                    funding_source=FundingSource.APBN),
        f.DesmigratifVillageFactory(village=v["11.01.01.2002"], year_designated=2022,
                                    funding_source=FundingSource.DANA_DESA),
        f.DesmigratifVillageFactory(village=v["11.02.01.2001"], year_designated=2022,
                                    funding_source=FundingSource.DANA_DESA),
    ]
    # activities: 2 in 2022 (pillar 1: 10+5 participants; pillar 2: 3+4), 1 in 2021 (pillar 1: 6+0)
    f.PillarActivityFactory(desmigratif_village=villages[0], kind="1_guidance", pillar=1, date=D(2022, 3, 1),
                            participants_women=10, participants_men=5, budget=Decimal(1_000_000))
    f.PillarActivityFactory(desmigratif_village=villages[1], kind="2_training", pillar=2, date=D(2022, 7, 1),
                            participants_women=3, participants_men=4, budget=Decimal(500_000))
    f.PillarActivityFactory(desmigratif_village=villages[0], kind="1_guidance", pillar=1, date=D(2021, 5, 1),
                            participants_women=6, participants_men=0, budget=Decimal(0))
    # PMI: 3 registered in 2022 (two in 11.01, one in 11.02), 1 in 2021
    migrants = [f.MigrantWorkerFactory(village=v["11.01.01.2001"], registered_on=D(2022, 1, 10)),
                f.MigrantWorkerFactory(village=v["11.01.01.2002"], registered_on=D(2022, 2, 10)),
                f.MigrantWorkerFactory(village=v["11.02.01.2001"], registered_on=D(2022, 3, 10)),
                f.MigrantWorkerFactory(village=v["11.01.01.2001"], registered_on=D(2021, 4, 10))]
    # placements: departures 2022 to TW and MY, 2021 to TW; one return in 2022 (unpaid wages)
    f.PlacementFactory(migrant=migrants[0], destination_country="TW", departure_date=D(2022, 6, 1),
                       contract_end_date=D(2024, 6, 1))
    f.PlacementFactory(migrant=migrants[1], destination_country="MY", departure_date=D(2022, 8, 1),
                       contract_end_date=D(2024, 8, 1))
    f.PlacementFactory(migrant=migrants[3], destination_country="TW", departure_date=D(2021, 9, 1),
                       contract_end_date=D(2023, 9, 1), return_date=D(2022, 10, 1), return_reason="unpaid_wages")
    for migrant in migrants[:2]:
        migrant.stage = Stage.ABROAD
        migrant.save()
    migrants[3].stage = Stage.RETURNED
    migrants[3].save()
    f.ReintegrationFactory(migrant=migrants[3], has_business=True, business_type="Warung",
                           is_cooperative_member=False)
    # a cooperative founded 2021 with figures in 2021 and 2022
    cooperative = f.CooperativeFactory(desmigratif_village=villages[0], year_founded=2021)
    f.CooperativeYearlyFigureFactory(cooperative=cooperative, year=2021, members=20, members_returned_pmi=2,
                                     capital=Decimal(5_000_000), revenue=Decimal(1_000_000), shu=Decimal(100_000))
    f.CooperativeYearlyFigureFactory(cooperative=cooperative, year=2022, members=30, members_returned_pmi=4,
                                     capital=Decimal(8_000_000), revenue=Decimal(3_000_000), shu=Decimal(-50_000))
    # engagements: two in 2022 by two agencies (one regency-level, one village-level), one in 2021
    kemnaker, kemendes = Agency.objects.get(acronym="Kemnaker"), Agency.objects.get(acronym="Kemendes PDTT")
    regency = Regency.objects.get(code="11.01")
    f.EngagementFactory(agency=kemnaker, level=EngagementLevel.REGENCY, regency=regency, village=None, pillar=1,
                        year=2022, budget=Decimal(2_000_000))
    f.EngagementFactory(agency=kemendes, level=EngagementLevel.VILLAGE, regency=None, village=v["11.02.01.2001"],
                        pillar=2, year=2022, budget=Decimal(1_000_000))
    f.EngagementFactory(agency=kemnaker, level=EngagementLevel.REGENCY, regency=regency, village=None, pillar=1,
                        year=2021, budget=Decimal(0))
    return villages


def test_every_figure_of_a_province_report(aceh):
    figures = report_figures(year=2022, area="11", as_of=D(2022, 12, 31))
    v = figures["villages"]
    assert (v["new"], v["previous_new"], v["cumulative"], v["previous_cumulative"]) == (2, 1, 3, 1)
    assert v["growth_percent"] == 200.0
    assert v["funding"] == {"apbn": 1, "dana_desa": 2} and v["funding_new"] == {"dana_desa": 2}
    a = figures["activities"]
    assert (a["activities"], a["participants"], a["previous_activities"], a["previous_participants"]) == (2, 22, 1, 6)
    assert a["budget"] == 1_500_000
    assert [(p["pillar"], p["activities"]) for p in a["pillars"]] == [(1, 1), (2, 1), (3, 0), (4, 0)]
    m = figures["migrants"]
    assert (m["registered"], m["previous_registered"]) == (3, 1)
    assert (m["departed"], m["previous_departed"], m["returned"], m["previous_returned"]) == (2, 1, 1, 0)
    assert {d["code"]: (d["count"], d["previous"]) for d in m["destinations"]} == {"TW": (1, 1), "MY": (1, 0)}
    assert m["return_reasons"] == [{"code": "unpaid_wages", "count": 1, "previous": 0}]
    assert m["reintegration"]["recorded"] == 1 and m["reintegration"]["with_business"] == 1
    assert m["reintegration"]["in_cooperative"] == 0
    c = figures["cooperatives"]
    assert (c["count"], c["previous_count"], c["members"], c["previous_members"]) == (1, 1, 30, 20)
    assert (c["capital"], c["revenue"], c["shu"], c["previous_shu"]) == (8_000_000, 3_000_000, -50_000, 100_000)
    e = figures["engagements"]
    assert (e["count"], e["previous_count"], e["agencies"], e["previous_agencies"]) == (2, 1, 2, 1)
    assert e["budget"] == 3_000_000
    # broken down by regency: 11.01 holds two villages, 11.02 one
    areas = {row["code"]: row for row in figures["areas"]}
    assert areas["11.01"]["villages_cumulative"] == 2 and areas["11.01"]["villages_new"] == 1
    assert areas["11.02"]["villages_cumulative"] == 1 and areas["11.02"]["villages_new"] == 1
    assert (areas["11.01"]["registered"], areas["11.02"]["registered"]) == (2, 1)
    assert (areas["11.01"]["departed"], areas["11.01"]["returned"]) == (2, 1)
    assert areas["11.01"]["engagements"] == 1 and areas["11.02"]["engagements"] == 1
    assert areas["11.01"]["members"] == 30


def test_a_regency_report_breaks_down_by_district_and_a_year_to_date_stops_at_its_day(aceh):
    figures = report_figures(year=2022, area="11.01", as_of=D(2022, 6, 30))
    assert figures["villages"]["cumulative"] == 2
    assert figures["migrants"]["registered"] == 2  # both before 30 June
    assert figures["migrants"]["departed"] == 1  # the one of 1 June; 1 August is after the day
    assert figures["activities"]["activities"] == 1  # March; the July one is after the day
    assert {row["code"][:5] for row in figures["areas"]} == {"11.01"}


def test_the_demo_national_report_for_2022_says_503_and_50():
    figures = report_figures(year=2022, area="", as_of=D(2022, 12, 31))
    assert figures["villages"]["cumulative"] == 503 and figures["villages"]["new"] == 50
    assert len(figures["areas"]) == 38
