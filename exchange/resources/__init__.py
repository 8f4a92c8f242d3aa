"""The resources, by kind: what can be imported and exported (see ``base.Resource``)."""
from __future__ import annotations

from accounts.permissions import can_read_person_records

from .activities import PillarActivityResource
from .base import Resource
from .cooperative_members import CooperativeMemberResource
from .cooperative_records import CooperativeResource
from .cooperatives import CooperativeYearlyFigureResource
from .engagements import EngagementResource
from .migrants import MigrantWorkerResource
from .placements import PlacementResource
from .reintegrations import ReintegrationResource
from .villages import DesmigratifVillageResource

RESOURCES: dict[str, Resource] = {
    resource.kind: resource
    for resource in (MigrantWorkerResource(), DesmigratifVillageResource(), CooperativeYearlyFigureResource(),
                     PillarActivityResource(), EngagementResource(), CooperativeResource(),
                     CooperativeMemberResource(), PlacementResource(), ReintegrationResource())
}


def resources_for(user) -> list[Resource]:
    """The resources this user may read (person records need a role that reads them)."""
    return [r for r in RESOURCES.values() if not r.person_records or can_read_person_records(user)]


def importable_for(user) -> list[Resource]:
    """The resources this user may import."""
    return [r for r in resources_for(user) if r.may_import(user)]
