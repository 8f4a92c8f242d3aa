"""PMI pages: list, detail, add, edit, delete, and the stage actions, each on its own small form.

Every page looks the PMI up through a selector (another area's id is a 404) and writes through the
services with the signed-in user (a village outside the user's area is a 403). The stage actions
are plain pages that htmx loads into the detail page's action panel; without JavaScript the links
open them as whole pages.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, FormView, UpdateView
from django.views.generic.detail import SingleObjectMixin
from django_htmx.http import HttpResponseClientRedirect

from accounts.mixins import ScopedDeleteView, ScopedDetailView, ScopedListView, ScopedMixin, ServiceFormMixin
from accounts.permissions import can_write_in, ensure_can_write_in
from accounts.personal_data import note_shown, sees_unmasked
from privacy.services import LookupLimitReached, nik_lookup

from . import selectors, services
from .choices import Stage
from .filtersets import MigrantWorkerFilterSet, PlacementFilterSet
from .forms import DepartureForm, MigrantWorkerForm, PlacementForm, ReintegrationForm, ReturnForm, StageChangeForm
from .models import MigrantWorker, Reintegration


@dataclass(frozen=True)
class StageAction:
    url_name: str
    to_stage: str
    label: Promise
    help: Promise


# In lifecycle order; a PMI's detail page offers those TRANSITIONS allows from the current stage.
STAGE_ACTIONS = (
    StageAction("migrantworker_verify", Stage.VERIFIED, gettext_lazy("Mark verified"),
                gettext_lazy("The village has checked the data and documents of this prospective PMI.")),
    StageAction("migrantworker_train", Stage.IN_TRAINING, gettext_lazy("Mark in training"),
                gettext_lazy("The prospective PMI has started job or language training.")),
    StageAction("migrantworker_ready", Stage.READY, gettext_lazy("Mark ready to depart"),
                gettext_lazy("Training and documents are complete; the PMI waits for departure.")),
    StageAction("migrantworker_depart", Stage.ABROAD, gettext_lazy("Record the departure"),
                gettext_lazy("The PMI has left to work abroad: record the placement.")),
    StageAction("migrantworker_return", Stage.RETURNED, gettext_lazy("Record the return"),
                gettext_lazy("The PMI has come home: the date and reason close the placement.")),
    StageAction("migrantworker_register_again", Stage.REGISTERED, gettext_lazy("Register again"),
                gettext_lazy("A returned PMI who wants to leave again starts over as a prospective PMI.")),
)
ACTIONS_BY_URL_NAME = {action.url_name: action for action in STAGE_ACTIONS}


def stage_actions_for(migrant: MigrantWorker, user) -> list[dict]:
    """The actions the user may take on this PMI now: allowed from its stage, in a village they write in."""
    if not can_write_in(user, migrant.village_id):
        return []
    allowed = services.TRANSITIONS.get(migrant.stage, set())
    return [{"label": action.label, "url": reverse(f"migrants:{action.url_name}", args=[migrant.pk])}
            for action in STAGE_ACTIONS if action.to_stage in allowed]


def history_url(label: str, pk: int) -> str | None:
    try:
        return reverse("record_history", args=[label, pk])
    except NoReverseMatch:  # the history pages are optional for these pages
        return None


# --- PMI ----------------------------------------------------------------------------------------


class MigrantWorkerListView(ScopedListView):
    selector = selectors.migrant_page_list
    filterset_class = MigrantWorkerFilterSet
    template_name = "migrants/migrantworker_list.html"
    person_records = True
    # An invalid filter (e.g. a refused NIK search) shows its error over an empty list: django-filter
    # would otherwise drop the invalid field and list everything, as if the search had matched.
    strict = True


class MigrantWorkerFindView(ScopedMixin, View):
    """Open a PMI by the whole NIK, sent by POST so that the NIK stays out of URLs and logs."""

    selector = selectors.migrant_list
    person_records = True
    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        # an address typed or bookmarked by hand: the search box is on the list
        return HttpResponseRedirect(reverse("migrants:migrantworker_list"))

    def post(self, request, *args, **kwargs):
        try:
            migrant = nik_lookup(user=request.user, nik=request.POST.get("nik", ""))
        except LookupLimitReached as refusal:
            messages.error(request, str(refusal))
            return HttpResponseRedirect(reverse("migrants:migrantworker_list"))
        if migrant is not None:
            return HttpResponseRedirect(migrant.get_absolute_url())
        # the same answer whether the NIK exists elsewhere or not at all; never the NIK itself
        messages.warning(request, _("No PMI with this NIK in your area. Enter all 16 digits."))
        return HttpResponseRedirect(reverse("migrants:migrantworker_list"))


class MigrantWorkerDetailView(ScopedDetailView):
    selector = selectors.migrant_detail_list
    template_name = "migrants/migrantworker_detail.html"
    person_records = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        migrant, user = self.object, self.request.user
        placements = list(migrant.placements.all())
        try:
            reintegration = migrant.reintegration
        except Reintegration.DoesNotExist:
            reintegration = None
        reintegration_open = services.migrant_may_have_reintegration(migrant)
        context.update({
            "placements": placements,
            "reintegration": reintegration,
            "stage_actions": stage_actions_for(migrant, user),
            "can_change": can_write_in(user, migrant.village_id),
            "reintegration_open": reintegration_open,
            "can_record_reintegration": reintegration_open and can_write_in(user, migrant.village_id),
            "sees_personal": sees_unmasked(user, migrant),
            "history_url": history_url("migrants.migrantworker", migrant.pk),
        })
        return context


class MigrantWorkerCreateView(ServiceFormMixin, ScopedMixin, CreateView):
    selector = selectors.migrant_list
    form_class = MigrantWorkerForm
    template_name = "migrants/migrantworker_form.html"
    person_records = True
    success_message = gettext_lazy("%(object)s was registered as a prospective PMI.")

    def save(self, form):
        data = dict(form.cleaned_data)
        return services.migrant_register(user=self.request.user, registered_on=data.pop("registered_on"), **data)


class MigrantWorkerUpdateView(ServiceFormMixin, ScopedMixin, UpdateView):
    selector = selectors.migrant_list
    form_class = MigrantWorkerForm
    template_name = "migrants/migrantworker_form.html"
    person_records = True
    success_message = gettext_lazy("%(object)s was saved.")

    def get_context_data(self, **kwargs):
        note_shown(self.request, self.object)  # the form holds the person's data in full: an unmasked view
        return super().get_context_data(**kwargs)

    def save(self, form):
        instance = self.stored_object()
        return services.migrant_update(user=self.request.user, instance=instance,
                                       expected_version=form.expected_version(), **form.service_fields())


class MigrantWorkerDeleteView(ScopedDeleteView):
    selector = selectors.migrant_list
    delete_service = services.migrant_delete
    template_name = "migrants/migrantworker_confirm_delete.html"
    person_records = True

    def get_success_url(self):
        return reverse("migrants:migrantworker_list")


# --- Stage actions ------------------------------------------------------------------------------


class MigrantActionView(ServiceFormMixin, ScopedMixin, SingleObjectMixin, FormView):
    """One action on one PMI: a small form, whole page or (htmx) a fragment of the detail page.

    An action the PMI's stage does not allow shows why instead of the form; posted anyway, it is an
    error on the form and nothing is written.
    """

    selector = selectors.migrant_detail_list
    person_records = True
    template_name = "migrants/migrantworker_action.html"
    partial_template_name = "migrants/partials/migrantworker_action_form.html"
    context_object_name = "migrant"
    title: Promise = ""
    help: Promise = ""
    to_stage = ""

    def get(self, request, *args, **kwargs):
        self.object = self.get_writable_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_writable_object()
        return super().post(request, *args, **kwargs)

    def get_writable_object(self) -> MigrantWorker:
        migrant = self.get_object()
        ensure_can_write_in(self.request.user, migrant.village_id)
        return migrant

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return [self.partial_template_name]
        return [self.template_name]

    def refusal(self) -> list[str]:
        """Why the action cannot be taken now (empty when it can)."""
        try:
            services.migrant_check_stage_change(migrant=self.object, to_stage=self.to_stage)
        except ValidationError as error:
            return error.messages
        return []

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "migrant": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"title": self.title, "help": self.help, "action_url": self.request.path,
                        "refused": self.refusal() if self.request.method == "GET" else [],
                        "detail_url": self.object.get_absolute_url()})
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.htmx and response.status_code == 302:
            return HttpResponseClientRedirect(response["Location"])  # the whole detail page, with the message
        return response

    def get_success_url(self):
        return self.object.get_absolute_url()


class MigrantStageChangeView(MigrantActionView):
    """Mark verified / in training / ready, or register a returned PMI again: a date, default today."""

    form_class = StageChangeForm
    action: StageAction

    @property
    def to_stage(self):
        return self.action.to_stage

    @property
    def title(self):
        return self.action.label

    @property
    def help(self):
        return self.action.help

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "to_stage": self.to_stage}

    def save(self, form):
        migrant = services.migrant_change_stage(user=self.request.user, migrant=self.object, to_stage=self.to_stage,
                                                on=form.cleaned_data["date"])
        messages.success(self.request, _("%(name)s: %(stage)s since %(date)s.") % {
            "name": migrant.name, "stage": Stage(migrant.stage).label,
            "date": migrant.stage_changed_on.strftime("%d/%m/%Y")})
        return migrant


class MigrantDepartView(MigrantActionView):
    form_class = DepartureForm
    to_stage = Stage.ABROAD
    title = ACTIONS_BY_URL_NAME["migrantworker_depart"].label
    help = ACTIONS_BY_URL_NAME["migrantworker_depart"].help
    success_message = gettext_lazy("The departure was recorded: %(object)s.")

    def save(self, form):
        data = dict(form.cleaned_data)
        return services.migrant_depart(user=self.request.user, migrant=self.object,
                                       departure_date=data.pop("departure_date"), **data)


class MigrantReturnView(MigrantActionView):
    form_class = ReturnForm
    to_stage = Stage.RETURNED
    title = ACTIONS_BY_URL_NAME["migrantworker_return"].label
    help = ACTIONS_BY_URL_NAME["migrantworker_return"].help
    success_message = gettext_lazy("The return was recorded: %(object)s.")

    def save(self, form):
        return services.migrant_return(user=self.request.user, migrant=self.object,
                                       return_date=form.cleaned_data["return_date"],
                                       return_reason=form.cleaned_data["return_reason"])


class ReintegrationEditView(MigrantActionView):
    """What a returned PMI has done since coming home (one record per PMI, created or updated)."""

    form_class = ReintegrationForm
    title = gettext_lazy("Reintegration")
    help = gettext_lazy("Training, business, cooperative, credit and social security since the return.")
    success_message = gettext_lazy("The reintegration of %(object)s was saved.")

    def refusal(self) -> list[str]:
        try:
            services.migrant_check_reintegration(migrant=self.object)
        except ValidationError as error:
            return error.messages
        return []

    def get_context_data(self, **kwargs):
        if services.migrant_may_have_reintegration(self.object):
            note_shown(self.request, self.object)  # the form holds the notes in full
        return super().get_context_data(**kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("migrant")
        try:
            kwargs["instance"] = self.object.reintegration
        except Reintegration.DoesNotExist:
            kwargs["instance"] = Reintegration(migrant=self.object)
        return kwargs

    def save(self, form):
        reintegration = services.reintegration_record(user=self.request.user, migrant=self.object,
                                                      expected_version=form.expected_version(),
                                                      **form.service_fields())
        return reintegration.migrant


def stage_change_view(url_name: str):
    """The view of one of the simple stage changes (a date only)."""
    return type(f"MigrantStageChange_{url_name}", (MigrantStageChangeView,),
                {"action": ACTIONS_BY_URL_NAME[url_name]}).as_view()


# --- Placements ---------------------------------------------------------------------------------


class PlacementListView(ScopedListView):
    selector = selectors.placement_list
    filterset_class = PlacementFilterSet
    template_name = "migrants/placement_list.html"
    person_records = True
    strict = True  # as the PMI list


class PlacementUpdateView(ServiceFormMixin, ScopedMixin, UpdateView):
    """Corrections to a placement's employment details (the departure and return are stage actions)."""

    selector = selectors.placement_list
    form_class = PlacementForm
    template_name = "migrants/placement_form.html"
    person_records = True
    success_message = gettext_lazy("The placement %(object)s was saved.")

    def save(self, form):
        instance = self.stored_object()
        return services.placement_update(user=self.request.user, instance=instance,
                                         expected_version=form.expected_version(), **form.service_fields())

    def get_success_url(self):
        return self.object.migrant.get_absolute_url()
