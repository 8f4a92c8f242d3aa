from django import template

from migrants.choices import Stage

register = template.Library()

STAGE_BADGES = {
    Stage.REGISTERED: "text-bg-light border",
    Stage.VERIFIED: "text-bg-info",
    Stage.IN_TRAINING: "text-bg-info",
    Stage.READY: "text-bg-primary",
    Stage.ABROAD: "text-bg-warning",
    Stage.RETURNED: "text-bg-success",
}


@register.filter
def stage_badge(stage: str) -> str:
    """Bootstrap classes of a stage's badge: {{ object.stage|stage_badge }}."""
    return STAGE_BADGES.get(stage, "text-bg-secondary")
