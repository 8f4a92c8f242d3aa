"""Building the demo data in memory, without writing: the same seed and context give the same plan.

``demo_context_load()`` reads what the plan depends on (villages of the sending regencies, the
agencies, the current region codes); ``build_demo()`` turns it into unsaved model instances,
children pointing at their (still unsaved) parents. ``demo.services`` validates and writes them.

Only sorted lists and insertion-ordered dicts drive the random choices: iterating a set of
strings would follow Python's per-process hash seed and break the determinism.
"""
from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import TypeVar

from faker import Faker

from agencies.choices import EngagementLevel
from agencies.models import Agency, Engagement
from cooperatives.choices import CooperativeKind
from cooperatives.models import Cooperative, CooperativeMember, CooperativeYearlyFigure
from migrants.choices import PROSPECTIVE_STAGES, Gender, ReturnReason, Sector, Stage
from migrants.models import MigrantWorker, Placement, Reintegration
from migrants.nik import RegionCodes, check_nik, nik_for, region_codes
from regions.models import Village
from villages.choices import ActivityKind, DesmigratifStatus, FundingSource, OfficerRole, Pillar
from villages.models import DesmigratifVillage, FieldOfficer, PillarActivity

from . import data

T = TypeVar("T")
DAY = datetime.timedelta(days=1)


class DemoDataError(Exception):
    """The database lacks something the demo needs (regions, agencies) or cannot hold it."""


@dataclass(frozen=True)
class DemoContext:
    """What the plan is built from; read once, before building."""

    desa: dict[str, tuple[str, ...]]  # regency code -> codes of its desa (kind 2), sorted
    names: dict[str, str]  # village code -> name, for the villages above
    agencies: dict[str, Agency]  # acronym -> agency
    codes: RegionCodes
    in_program: frozenset[str]  # villages already in the program (never drawn again)
    existing_niks: frozenset[str]


@dataclass
class DemoPlan:
    """Unsaved instances, in the order they must be written."""

    villages: list[DesmigratifVillage] = field(default_factory=list)
    officers: list[FieldOfficer] = field(default_factory=list)
    activities: list[PillarActivity] = field(default_factory=list)
    cooperatives: list[Cooperative] = field(default_factory=list)
    engagements: list[Engagement] = field(default_factory=list)
    migrants: list[MigrantWorker] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    reintegrations: list[Reintegration] = field(default_factory=list)
    members: list[CooperativeMember] = field(default_factory=list)
    figures: list[CooperativeYearlyFigure] = field(default_factory=list)


@dataclass
class _ProgramVillage:
    record: DesmigratifVillage
    code: str
    year: int
    decree_date: datetime.date
    last_active_year: int


@dataclass
class _CooperativeInfo:
    record: Cooperative
    last_year: int
    members: list[CooperativeMember] = field(default_factory=list)


def demo_context_load() -> DemoContext:
    """Read the regions, agencies and NIKs the demo is built from."""
    desa: dict[str, list[str]] = defaultdict(list)
    names = {}
    rows = (Village.objects.filter(district__regency_id__in=sorted(data.REGENCY_WEIGHTS))
            .order_by("code").values_list("code", "name"))
    for code, name in rows:
        names[code] = name
        if code[9] == "2":  # desa; kelurahan (1) are urban and not program villages
            desa[code[:5]].append(code)
    return DemoContext(
        desa={regency: tuple(codes) for regency, codes in sorted(desa.items())},
        names=names,
        agencies={agency.acronym: agency for agency in Agency.objects.order_by("acronym")},
        codes=region_codes(),
        in_program=frozenset(DesmigratifVillage.objects.values_list("village_id", flat=True)),
        existing_niks=frozenset(MigrantWorker.objects.values_list("nik", flat=True)),
    )


def build_demo(*, seed: int = data.DEFAULT_SEED, context: DemoContext) -> DemoPlan:
    """The whole demo as unsaved instances; no database writes."""
    return _Builder(seed=seed, context=context).build()


def _valid_in_year(agency: Agency, year: int) -> bool:
    return ((agency.valid_from is None or agency.valid_from.year <= year)
            and (agency.valid_until is None or agency.valid_until.year >= year))


def _valid_on(agency: Agency, day: datetime.date) -> bool:
    return ((agency.valid_from is None or agency.valid_from <= day)
            and (agency.valid_until is None or agency.valid_until >= day))


class _Builder:
    def __init__(self, *, seed: int, context: DemoContext):
        self.rng = random.Random(seed)
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        self.ctx = context
        self.plan = DemoPlan()
        self.program: list[_ProgramVillage] = []
        self.cooperatives: dict[str, _CooperativeInfo] = {}  # village code -> its cooperative
        self.used_niks = set(context.existing_niks)
        self.nik_serials: dict[str, int] = defaultdict(int)

    # --- small helpers -------------------------------------------------------------------

    def weighted(self, weights: dict[T, float]) -> T:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def money(self, low: int, high: int, step: int = 50_000) -> Decimal:
        if high <= low:
            return Decimal(low)
        return Decimal(self.rng.randrange(low, high + 1, step))

    def person_name(self, *, female: bool) -> str:
        first = self.fake.first_name_female() if female else self.fake.first_name_male()
        if self.rng.random() < 0.2:
            return first  # many Indonesians carry a single name
        last = self.fake.last_name_female() if female else self.fake.last_name_male()
        return f"{first} {last}"

    def phone(self) -> str:
        return f"{data.PHONE_PREFIX}{self.rng.randrange(10**7, 10**8)}"

    def agency(self, acronym: str) -> Agency | None:
        return self.ctx.agencies.get(acronym)

    # --- the build, in dependency order ----------------------------------------------------

    def build(self) -> DemoPlan:
        self.build_program_villages()
        self.build_officers()
        self.build_activities()
        self.build_cooperatives()
        self.build_engagements()
        self.build_migrants()
        self.build_reintegration_and_members()
        self.build_cooperative_figures()
        return self.plan

    def build_program_villages(self) -> None:
        missing = [code for code in data.PILOT_VILLAGES if code not in self.ctx.names]
        if missing:
            raise DemoDataError(f"The pilot villages {', '.join(missing)} are not in the region table.")
        pools = {}
        for regency in data.REGENCY_WEIGHTS:
            pool = [code for code in self.ctx.desa.get(regency, ())
                    if code not in self.ctx.in_program and code not in data.PILOT_VILLAGES]
            self.rng.shuffle(pool)
            pools[regency] = pool

        for year, count in data.NEW_VILLAGES_PER_YEAR.items():
            if year == data.PILOT_YEAR:
                drawn = [(code, FundingSource.APBN) for code in data.PILOT_VILLAGES]
            elif year in data.APBN_YEARS:
                drawn = [(code, FundingSource.APBN) for code in self.draw_villages(pools, count)]
            else:
                cirebon = data.CIREBON_DANA_DESA_PER_YEAR.get(year, 0)
                if len(pools[data.CIREBON]) < cirebon:
                    raise DemoDataError("Kabupaten Cirebon has too few desa left for its Dana Desa villages.")
                drawn = [(pools[data.CIREBON].pop(), FundingSource.DANA_DESA) for _ in range(cirebon)]
                drawn += [(code, self.weighted(dict(data.REGIONAL_FUNDING)))
                          for code in self.draw_villages(pools, count - cirebon, exclude=data.CIREBON)]
            if len(drawn) != count:
                raise DemoDataError(f"Only {len(drawn)} of the {count} villages of {year} could be placed.")
            waves = data.DECREE_WAVES.get(year, ())
            for index, (code, funding) in enumerate(drawn):
                decree_date, decree_number = waves[index * len(waves) // len(drawn)]
                self.add_program_village(code=code, year=year, funding=funding, decree_date=decree_date,
                                         decree_number=decree_number)
        self.label_desa_migran_emas()

    def draw_villages(self, pools: dict[str, list[str]], count: int, *, exclude: str = "") -> list[str]:
        drawn = []
        for _ in range(count):
            regencies = [r for r in data.REGENCY_WEIGHTS if r != exclude and pools[r]]
            if not regencies:
                break
            regency = self.rng.choices(regencies, weights=[data.REGENCY_WEIGHTS[r] for r in regencies])[0]
            drawn.append(pools[regency].pop())
        return drawn

    def add_program_village(self, *, code: str, year: int, funding: str, decree_date: datetime.date,
                            decree_number: str) -> None:
        status, last_active_year = DesmigratifStatus.ACTIVE, data.TODAY.year
        notes = ""
        if code in data.PILOT_VILLAGES:
            notes = data.PILOT_NOTE
        else:
            draw = self.rng.random()
            if year <= 2018 and draw < 0.06:
                status = DesmigratifStatus.GRADUATED
            elif draw > (0.96 if year <= 2018 else 0.97):
                status = DesmigratifStatus.INACTIVE
                last_active_year = self.rng.randint(min(year + 1, data.TODAY.year - 1), data.TODAY.year - 1)
            if code.startswith(f"{data.CIREBON}.") and funding == FundingSource.DANA_DESA:
                notes = data.CIREBON_NOTE
        record = DesmigratifVillage(
            village_id=code, year_designated=year, decree_number=decree_number, decree_date=decree_date,
            funding_source=funding, status=status, is_desmigratif=True, notes=notes,
        )
        self.plan.villages.append(record)
        self.program.append(_ProgramVillage(record=record, code=code, year=year, decree_date=decree_date,
                                            last_active_year=last_active_year))

    def label_desa_migran_emas(self) -> None:
        # KP2MI's label exists since 2025; a few active villages carry it, the first pilot among them.
        candidates = [pv for pv in self.program
                      if pv.record.status == DesmigratifStatus.ACTIVE and pv.code != data.MARKER_VILLAGE]
        chosen = [pv for pv in self.program if pv.code == data.MARKER_VILLAGE]
        chosen += self.rng.sample(candidates, data.DESA_MIGRAN_EMAS_COUNT - 1)
        for pv in chosen:
            pv.record.is_desa_migran_emas = True
            pv.record.notes = " ".join(filter(None, [pv.record.notes, data.DESA_MIGRAN_EMAS_NOTE]))

    def build_officers(self) -> None:
        # Two Petugas Desmigratif per village, chosen by village deliberation after the decree.
        for pv in self.program:
            for _ in range(2):
                female = self.rng.random() < 0.5
                self.plan.officers.append(FieldOfficer(
                    desmigratif_village=pv.record, name=self.person_name(female=female),
                    role=OfficerRole.FIELD_OFFICER, phone=self.phone(),
                    active_since=min(pv.decree_date + datetime.timedelta(days=self.rng.randint(7, 90)), data.TODAY),
                ))

    def build_activities(self) -> None:
        for pv in self.program:
            if self.rng.random() >= data.ACTIVITY_VILLAGE_SHARE:
                continue
            for year in range(pv.year, min(pv.last_active_year, data.TODAY.year) + 1):
                n = self.weighted(data.ACTIVITIES_PER_YEAR_WEIGHTS)
                if year == 2020:
                    n //= 2  # the pandemic year: fewer gatherings
                start = max(pv.decree_date, datetime.date(year, 1, 1))
                end = min(datetime.date(year, 12, 31), data.TODAY)
                for _ in range(n if start <= end else 0):
                    self.plan.activities.append(self.activity(pv, self.date_between(start, end)))

    def activity(self, pv: _ProgramVillage, day: datetime.date) -> PillarActivity:
        pillar = self.weighted(data.PILLAR_WEIGHTS)
        kind = self.rng.choice(ActivityKind.for_pillar(pillar))
        partners = [agency for acronym in data.PILLAR_PARTNERS[pillar]
                    if (agency := self.agency(acronym)) and _valid_on(agency, day)]
        partner = self.rng.choice(partners) if partners and self.rng.random() < data.ACTIVITY_PARTNER_SHARE else None
        women, men = self.rng.randint(5, 40), self.rng.randint(1, 25)
        return PillarActivity(
            desmigratif_village=pv.record, pillar=pillar, kind=kind, date=day,
            title=self.rng.choice(data.ACTIVITY_TITLES[kind]),
            participants_women=women, participants_men=men,
            services_given=self.rng.randint(5, 60) if pillar == Pillar.MIGRATION_SERVICE else 0,
            businesses_started=self.rng.randint(0, 8) if pillar == Pillar.PRODUCTIVE_BUSINESS else 0,
            children_reached=self.rng.randint(10, 60) if pillar == Pillar.COMMUNITY_PARENTING else 0,
            partner_agency=partner,
            budget=self.money(0, 30_000_000) if self.rng.random() < 0.8 else Decimal(0),
        )

    def build_cooperatives(self) -> None:
        registered = 0
        for pv in self.program:
            if self.rng.random() >= data.COOPERATIVE_VILLAGE_SHARE:
                continue
            bumdes = self.rng.random() < data.BUMDES_SHARE
            founded = min(pv.year + self.rng.choice((0, 1, 1, 2, 3)), data.TODAY.year)
            village_name = self.ctx.names[pv.code]
            if bumdes:
                name = self.rng.choice(data.BUMDES_NAMES).format(village=village_name)
                business = self.weighted(data.BUMDES_BUSINESS_WEIGHTS)
            else:
                name = self.rng.choice(data.COOPERATIVE_NAMES).format(village=village_name)
                business = self.weighted(data.COOPERATIVE_BUSINESS_WEIGHTS)
            legal_number = ""
            if self.rng.random() < (0.6 if bumdes else 0.8):
                registered += 1
                legal_number = (f"DEMO-BUMDES/{registered:05d}/{founded}" if bumdes
                                else f"DEMO-AHU-{registered:07d}.AH.01.26.TAHUN {founded}")
            is_active = self.rng.random() < 0.92 or founded >= data.TODAY.year
            last_year = data.TODAY.year if is_active else self.rng.randint(founded, data.TODAY.year - 1)
            record = Cooperative(
                desmigratif_village=pv.record, name=name,
                kind=CooperativeKind.BUMDES if bumdes else CooperativeKind.COOPERATIVE,
                legal_entity_number=legal_number, year_founded=founded, business_type=business,
                is_active=is_active,
            )
            self.plan.cooperatives.append(record)
            self.cooperatives[pv.code] = _CooperativeInfo(record=record, last_year=last_year)

    def build_engagements(self) -> None:
        templates = [t for t in data.ENGAGEMENT_TEMPLATES if self.agency(t.acronym)]

        def valid(level: str, year: int) -> list[data.EngagementTemplate]:
            return [t for t in templates if level in t.levels and _valid_in_year(self.agency(t.acronym), year)]

        def add(template: data.EngagementTemplate, year: int, level: str, **area: str) -> None:
            self.plan.engagements.append(Engagement(
                agency=self.agency(template.acronym), level=level, pillar=template.pillar, kind=template.kind,
                year=year, budget=self.money(*template.budget, step=1_000_000), description=template.description,
                **area,
            ))

        for year in data.ENGAGEMENT_YEARS:
            for template in valid(EngagementLevel.NATIONAL, year):
                if template.acronym == "Kemnaker" or self.rng.random() < data.NATIONAL_ENGAGEMENT_SHARE:
                    add(template, year, EngagementLevel.NATIONAL)

        first_year: dict[str, int] = {}
        for pv in self.program:
            regency = pv.code[:5]
            first_year[regency] = min(first_year.get(regency, pv.year), pv.year)
        for regency, since in sorted(first_year.items()):
            for year in data.ENGAGEMENT_YEARS:
                if year < since:
                    continue
                options = valid(EngagementLevel.REGENCY, year)
                for template in self.rng.sample(options, min(len(options),
                                                             self.rng.randint(*data.REGENCY_ENGAGEMENTS_PER_YEAR))):
                    add(template, year, EngagementLevel.REGENCY, regency_id=regency)

        for pv in self.program:
            if self.rng.random() >= data.VILLAGE_ENGAGEMENT_SHARE:
                continue
            for _ in range(self.rng.randint(1, 2)):
                year = self.rng.randint(max(pv.year, data.ENGAGEMENT_YEARS.start), data.TODAY.year)
                options = valid(EngagementLevel.VILLAGE, year)
                if options:
                    add(self.rng.choice(options), year, EngagementLevel.VILLAGE, village_id=pv.code)

    # --- PMI ---------------------------------------------------------------------------------

    def build_migrants(self) -> None:
        program_codes = [pv.code for pv in self.program]
        origin_weights = list(accumulate(
            data.PILOT_ORIGIN_WEIGHT if code in data.PILOT_VILLAGES
            else data.FOCUS_REGENCY_ORIGIN_WEIGHT if code[:5] in (data.CIREBON, "32.12") else 1
            for code in program_codes))
        stages = data.STAGE_WEIGHTS
        for _ in range(data.MIGRANT_COUNT):
            if self.rng.random() < data.PROGRAM_VILLAGE_ORIGIN_SHARE:
                village = self.rng.choices(program_codes, cum_weights=origin_weights)[0]
            else:  # a neighbouring desa of the same regency
                village = self.rng.choice(self.ctx.desa[self.rng.choice(program_codes)[:5]])
            self.add_migrant(village=village, stage=self.weighted(stages))

    def add_migrant(self, *, village: str, stage: str) -> None:
        placements: list[Placement] = []
        if stage in PROSPECTIVE_STAGES:
            female = self.rng.random() < data.FEMALE_SHARE_PROSPECTIVE
            # days from registration to the current stage; registration a little over a year back at most
            delay = datetime.timedelta(days=self.rng.randint(*{
                Stage.REGISTERED: (0, 0), Stage.VERIFIED: (3, 45), Stage.IN_TRAINING: (20, 120),
                Stage.READY: (45, 200)}[stage]))
            registered = self.date_between(data.TODAY - datetime.timedelta(days=420), data.TODAY - delay)
            changed = registered + delay
        else:
            destination = self.weighted({code: d.weight for code, d in data.DESTINATIONS.items()})
            female = self.rng.random() < data.DESTINATIONS[destination].female_share
            if stage == Stage.ABROAD:
                registered, changed = self.stay_abroad(destination, female, placements)
            else:
                registered, changed = self.stay_returned(destination, female, placements)

        age = int(self.rng.triangular(18, 45, 25))
        birth_date = registered - datetime.timedelta(days=round(age * 365.25) + self.rng.randint(1, 364))
        gender = Gender.FEMALE if female else Gender.MALE
        nik, flags = self.nik(village=village, birth_date=birth_date, female=female)
        migrant = MigrantWorker(
            nik=nik, nik_needs_verification=bool(flags), nik_flags=",".join(flags),
            name=self.person_name(female=female), gender=gender, birth_date=birth_date, village_id=village,
            address=f"RT {self.rng.randint(1, 12):03d} RW {self.rng.randint(1, 8):03d}, Desa {self.ctx.names[village]}",
            education=self.weighted(data.EDUCATION_WEIGHTS), marital_status=self.weighted(data.MARITAL_WEIGHTS),
            phone=self.phone() if self.rng.random() < data.PHONE_SHARE else "",
            stage=stage, registered_on=registered, stage_changed_on=changed,
        )
        for placement in placements:
            placement.migrant = migrant
        self.plan.migrants.append(migrant)
        self.plan.placements.extend(placements)

    def placement(self, destination: str, female: bool, departure: datetime.date) -> Placement:
        spec = data.DESTINATIONS[destination]
        informal = self.rng.random() < (spec.informal_share_women if female else spec.informal_share_men)
        if informal:
            job = self.rng.choice(data.INFORMAL_JOBS_WOMEN if female else data.INFORMAL_JOBS_MEN)
        else:
            job = self.rng.choice(spec.formal_jobs)
        scheme = self.weighted(spec.schemes)
        return Placement(
            destination_country=destination, sector=Sector.INFORMAL if informal else Sector.FORMAL, job=job,
            scheme=scheme, p3mi_name=self.rng.choice(data.P3MI_NAMES) if scheme == "p2p" else "",
            departure_date=departure,
            contract_end_date=departure + datetime.timedelta(days=self.contract_days(destination)),
        )

    @staticmethod
    def contract_days(destination: str) -> int:
        return round(data.DESTINATIONS[destination].contract_months * 30.44)

    def registration_before(self, departure: datetime.date) -> datetime.date:
        return departure - datetime.timedelta(days=self.rng.randint(60, 270))  # recruitment, training, papers

    def earlier_stay(self, next_departure: datetime.date, female: bool,
                     placements: list[Placement]) -> datetime.date | None:
        """A finished stay before ``next_departure``; its registration date, or None if it would
        start before the records do."""
        destination = self.weighted({code: d.weight for code, d in data.DESTINATIONS.items()})
        returned = next_departure - datetime.timedelta(days=self.rng.randint(90, 400))
        departure = returned - datetime.timedelta(days=self.contract_days(destination))
        registered = self.registration_before(departure)
        if registered < data.REGISTRATION_START:
            return None
        stay = self.placement(destination, female, departure)
        stay.return_date, stay.return_reason = returned, ReturnReason.CONTRACT_ENDED
        placements.insert(0, stay)
        return registered

    def stay_abroad(self, destination: str, female: bool,
                    placements: list[Placement]) -> tuple[datetime.date, datetime.date]:
        days = self.contract_days(destination)
        earliest = max(data.REGISTRATION_START + datetime.timedelta(days=300),
                       data.TODAY - datetime.timedelta(days=days + 120))
        departure = self.date_between(earliest, data.TODAY - datetime.timedelta(days=7))
        placements.append(self.placement(destination, female, departure))
        registered = self.registration_before(departure)
        if self.rng.random() < data.REPEAT_SHARE_ABROAD:
            registered = self.earlier_stay(departure, female, placements) or registered
        return registered, departure

    def stay_returned(self, destination: str, female: bool,
                      placements: list[Placement]) -> tuple[datetime.date, datetime.date]:
        days = self.contract_days(destination)
        # the latest registration (270 days) + the longest stay + a late return still fits after the start
        earliest = data.REGISTRATION_START + datetime.timedelta(days=300 + days)
        returned = self.date_between(earliest, data.TODAY)
        reason = self.weighted(data.RETURN_REASON_WEIGHTS)
        if reason == ReturnReason.CONTRACT_ENDED:
            departure = returned - datetime.timedelta(days=days + self.rng.randint(-20, 30))
        else:  # a problem cut the stay short
            departure = returned - datetime.timedelta(days=self.rng.randint(30, days - 1))
        stay = self.placement(destination, female, departure)
        stay.return_date, stay.return_reason = returned, reason
        placements.append(stay)
        registered = self.registration_before(departure)
        if self.rng.random() < data.REPEAT_SHARE_RETURNED:
            registered = self.earlier_stay(departure, female, placements) or registered
        return registered, returned

    def nik(self, *, village: str, birth_date: datetime.date, female: bool) -> tuple[str, tuple[str, ...]]:
        """A unique NIK for a person of ``village``; about 2% carry a flaw that check_nik flags."""
        district = village[:8]
        nik_date, nik_female = birth_date, female
        flaw = self.weighted(dict(data.NIK_FLAG_KINDS)) if self.rng.random() < data.NIK_FLAG_SHARE else ""
        if flaw == "regency":  # registered before a split, under a regency code no longer current
            district = f"{self.absent_regency(village[:2])}.{village[6:8]}"
        elif flaw == "district":
            district = f"{village[:5]}.{self.absent_district(village[:5])}"
        elif flaw == "birth_date":  # the record's birth date was entered differently
            nik_date = birth_date + self.rng.choice((-1, 1)) * datetime.timedelta(days=self.rng.randint(1, 400))
        elif flaw == "gender":
            nik_female = not female
        prefix = nik_for(district_code=district, birth_date=nik_date, female=nik_female, serial=0)[:12]
        while True:
            self.nik_serials[prefix] += 1
            nik = f"{prefix}{self.nik_serials[prefix]:04d}"
            if nik not in self.used_niks:
                break
        self.used_niks.add(nik)
        # The flags are check_nik's verdict, the same the model's clean() reaches.
        result = check_nik(nik, birth_date=birth_date, gender=Gender.FEMALE if female else Gender.MALE,
                           codes=self.ctx.codes)
        if bool(result.flags) != bool(flaw):
            raise DemoDataError(f"NIK {nik}: meant to be {'flagged' if flaw else 'clean'}, check_nik says "
                                f"{result.flags or 'clean'}.")
        return result.nik, result.flags

    def absent_regency(self, province: str) -> str:
        numbers = [int(code[3:5]) for code in sorted(self.ctx.codes.regencies)
                   if code.startswith(f"{province}.") and int(code[3:5]) < 71]
        return f"{province}.{max(numbers, default=0) + 1:02d}"

    def absent_district(self, regency: str) -> str:
        numbers = [int(code[6:8]) for code in sorted(self.ctx.codes.districts) if code.startswith(f"{regency}.")]
        number = max(numbers, default=0) + 1
        if number > 99:
            raise DemoDataError(f"No free district number in {regency}.")
        return f"{number:02d}"

    # --- after the PMI: reintegration, members, cooperative figures -----------------------------

    def build_reintegration_and_members(self) -> None:
        last_return: dict[int, Placement] = {}
        for placement in self.plan.placements:
            if placement.return_date:
                last_return[id(placement.migrant)] = placement  # placements of a PMI are in date order
        for migrant in self.plan.migrants:
            if migrant.stage != Stage.RETURNED:
                continue
            stay = last_return[id(migrant)]
            if stay.return_reason == ReturnReason.DEATH:
                continue  # repatriated: no livelihood to rebuild
            member = self.maybe_member(migrant, stay.return_date)
            if member or self.rng.random() < data.REINTEGRATION_SHARE:
                self.plan.reintegrations.append(self.reintegration(migrant, stay.return_date, bool(member)))
        for info in self.cooperatives.values():
            founded = datetime.date(info.record.year_founded, 1, 1)
            for _ in range(self.rng.randint(*data.OTHER_MEMBERS_PER_COOPERATIVE)):
                female = self.rng.random() < 0.6
                member = CooperativeMember(
                    cooperative=info.record, name=self.person_name(female=female),
                    is_returned_pmi=self.rng.random() < 0.15,  # returnees not (yet) in the PMI records
                    joined_on=self.date_between(founded, min(datetime.date(info.last_year, 12, 31), data.TODAY)),
                )
                info.members.append(member)
                self.plan.members.append(member)

    def maybe_member(self, migrant: MigrantWorker, returned: datetime.date) -> CooperativeMember | None:
        info = self.cooperatives.get(migrant.village_id)
        if info is None or self.rng.random() >= data.RETURNEE_MEMBER_SHARE:
            return None
        joined = max(returned + datetime.timedelta(days=self.rng.randint(0, 180)),
                     datetime.date(info.record.year_founded, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 200)))
        if joined > data.TODAY or joined.year > info.last_year:
            return None
        member = CooperativeMember(cooperative=info.record, name=migrant.name, migrant=migrant,
                                   is_returned_pmi=True, joined_on=joined)
        info.members.append(member)
        self.plan.members.append(member)
        return member

    def reintegration(self, migrant: MigrantWorker, returned: datetime.date, member: bool) -> Reintegration:
        started = returned + datetime.timedelta(days=self.rng.randint(30, 540))
        has_business = self.rng.random() < 0.45 and started <= data.TODAY
        has_credit = self.rng.random() < (0.35 if has_business else 0.1)
        return Reintegration(
            migrant=migrant,
            training_received=self.rng.choice(data.TRAININGS) if self.rng.random() < 0.6 else "",
            has_business=has_business,
            business_type=self.rng.choice(data.BUSINESS_TYPES) if has_business else "",
            business_started_on=started if has_business else None,
            is_cooperative_member=member,
            has_kur_credit=has_credit,
            credit_bank=self.weighted(dict(data.CREDIT_BANKS)) if has_credit else "",
            has_bpjs_ketenagakerjaan=self.rng.random() < 0.6,
        )

    def build_cooperative_figures(self) -> None:
        for info in self.cooperatives.values():
            record = info.record
            members = self.rng.randint(20, 60)
            returned_share = self.rng.uniform(0.2, 0.5)
            deposit = self.rng.randrange(150_000, 500_001, 25_000)  # simpanan pokok + wajib per member
            retained = 0.0
            # assets to capital and revenue to assets drift from year to year rather than jump
            leverage, turnover = self.rng.uniform(1.3, 2.0), self.rng.uniform(0.2, 0.5)
            for year in range(record.year_founded, info.last_year + 1):
                if year > record.year_founded:
                    members = round(members * self.rng.uniform(1.02, 1.2))
                # the members known by name must fit in the counts
                named = [m for m in info.members if m.joined_on.year <= year]
                members = max(members, len(named))
                returned = min(members, max(round(members * returned_share),
                                            sum(1 for m in named if m.is_returned_pmi)))
                capital = max(members * deposit + retained, 0)
                leverage = min(max(leverage * self.rng.uniform(0.93, 1.08), 1.1), 3.0)
                turnover = min(max(turnover * self.rng.uniform(0.85, 1.15), 0.1), 0.8)
                assets = capital * leverage
                revenue = assets * turnover
                shu = revenue * self.rng.gauss(0.07, 0.06)  # a bad year makes a loss
                retained += shu * 0.4 if shu > 0 else shu
                self.plan.figures.append(CooperativeYearlyFigure(
                    cooperative=record, year=year, members=members, members_returned_pmi=returned,
                    capital=_rupiah(capital), assets=_rupiah(assets), revenue=_rupiah(revenue), shu=_rupiah(shu),
                ))


def _rupiah(amount: float) -> Decimal:
    return Decimal(round(amount / 1000) * 1000)
