"""The therapist's guidance pages of a case: observations, signals, track and cycle map.

All of it is clinical; the policy lets only the case's therapists in. Another
therapist's refusal answers 404 (and is logged) exactly like a case that does
not exist; a signed-in partner, whose role has no business here, gets 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dyade.audit.services import Outcome, prepare, record, record_many
from dyade.cases import policy
from dyade.cases.models import Case, Partner
from dyade.clinic import cycle as cycle_core
from dyade.clinic import guidance
from dyade.clinic.snapshot import SnapshotError
from dyade.questionnaires import access as questionnaires_access
from dyade.questionnaires import comparison
from dyade.reports import cycle_diagram
from dyade.sessions import access, case_snapshot, display, findings, labels, services
from dyade.sessions.forms import (
    CycleForm,
    DecisionForm,
    ObservationForm,
    TrackForm,
)
from dyade.sessions.models import Decision, TrackName

OBSERVATIONS_SHOWN = 5  # the newest observations on the guidance page


def _case(request: HttpRequest, pk: int, event: str) -> Case:
    if not policy.can_create_case(request.user):
        raise PermissionDenied
    case = policy.get_case(request, pk, event=event)
    if not access.can_use_guidance(request.user, case):  # pragma: no cover - same rule today
        raise Http404
    return case


def _names(partners: Iterable[Partner]) -> dict[str, str]:
    names = {p.slot: f"{p.name} ({p.slot})" for p in partners}
    names["therapist"] = _("you")
    return names


@login_required
def guidance_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "guidance.read")
    user = request.user
    partners = list(case.partners.all())
    names = _names(partners)
    # All observations feed the snapshot; only the newest few are shown, with their notes.
    observations = list(access.case_observations(user, case).defer("note").order_by("-date", "-pk"))
    shown = list(access.case_observations(user, case).order_by("-date", "-pk")[:OBSERVATIONS_SHOWN])
    decisions = list(access.case_signal_decisions(user, case).select_related("decided_by"))
    sessions = list(access.case_appointments(user, case))
    now = timezone.now()
    track_items = display.timeline(case, user)
    loaded = case_snapshot.Loaded(
        partners=partners,
        observations=observations,
        track_changes=[item["change"] for item in track_items],
    )
    events = []
    try:
        views = services.signals(request, case, loaded, decisions)
    except SnapshotError as error:  # stored data outside the snapshot's ranges
        events.append(
            prepare(request, "guidance.read", case=case, outcome=Outcome.INVALID, detail=str(error))
        )
        views = []
        messages.error(request, _("Some answers of this case could not be read for guidance."))
    events += [
        prepare(request, "guidance.read", case=case, detail=f"{len(views)} signals"),
        prepare(request, "observation.list", case=case, detail=f"{len(observations)}"),
        prepare(request, "signal.list", case=case, detail=f"{len(decisions)}"),
        prepare(request, "track.list", case=case, detail=f"{len(track_items)}"),
    ]
    record_many(events)  # before anything is shown
    signal_cards = []
    for view in views:
        signal_cards.append(
            {
                "view": view,
                "title": _(view.rule.title),
                "recommendation": _(view.signal.recommendation),
                "reasons": labels.reason_lines([r.as_json() for r in view.signal.reasons], names),
                "source": str(view.signal.source),
                "judgement": _(view.rule.source.judgement) if view.rule.source.judgement else "",
                "track_label": dict(TrackName.choices).get(view.track[0]) if view.track else "",
                "kind": labels.KINDS.get(view.signal.kind, view.signal.kind),
                "form": DecisionForm(
                    initial={"request_id": uuid.uuid4()},
                    auto_id=f"id_{view.signal.id.replace('.', '-')}_%s",
                    sessions=sessions,
                    now=now,
                ),
            }
        )
    history = [
        {
            "decision": decision,
            "title": labels.rule_label(decision.signal),
            "reasons": labels.reason_lines(decision.reasons, names),
        }
        for decision in decisions
    ]
    for observation in shown:
        observation.noted = display.noted_lines(observation, names)  # type: ignore[attr-defined]
    context = {
        "case": case,
        "open_signals": [card for card in signal_cards if card["view"].open],
        "decided_signals": [card for card in signal_cards if not card["view"].open],
        "observations": shown,
        "observation_count": len(observations),
        "timeline": track_items,
        "current": track_items[-1]["change"] if track_items else None,
        "history": history,
        "formulation": findings.rows(
            findings.of_case(observations, [item["change"] for item in track_items]), names
        ),
        "track_form": TrackForm(initial={"request_id": uuid.uuid4()}),
        "has_profile": hasattr(request.user, "reflection_profile"),
    }
    return render(request, "sessions/guidance.html", context)


@login_required
def observation_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "observation.create")
    slots = case.slots
    names = {p.slot: p.name for p in case.partners.all()}
    sessions = list(access.case_appointments(request.user, case))
    # The session brief's notes arrive here to fill in the form, not to save it.
    from_brief = request.method == "POST" and "from_brief" in request.POST
    if request.method == "POST" and not from_brief:
        form = ObservationForm(request.POST, slots=slots, names=names, sessions=sessions)
        if form.is_valid():
            _observation, created = services.record_observation(
                request, case, form.values(), form.cleaned_data["request_id"]
            )
            if created:
                messages.success(request, _("Your observations have been saved."))
            return redirect("cases:guidance", pk=case.pk)
        record(request, "observation.create", case=case, outcome=Outcome.INVALID)
    else:
        observations = list(access.case_observations(request.user, case).defer("note"))
        changes = list(access.case_track_changes(request.user, case))
        last = case_snapshot.in_order(observations)[-1] if observations else None
        initial: dict[str, Any] = {"request_id": uuid.uuid4(), "date": timezone.localdate()}
        if last is not None and last.eft_stage:
            initial["eft_stage"] = last.eft_stage
        if from_brief:
            initial["note"] = request.POST.get("note", "")[:5000]
        kept = findings.as_before(findings.of_case(observations, changes), names)
        form = ObservationForm(
            initial=initial, slots=slots, names=names, as_before=kept, sessions=sessions
        )
    return render(request, "sessions/observation_form.html", {"case": case, "form": form})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, signal_id: str) -> HttpResponse:
    case = _case(request, pk, "signal.create")
    if signal_id not in guidance.RULES_BY_ID:
        record(request, "signal.create", case=case, outcome=Outcome.DENIED, detail=signal_id)
        raise Http404
    form = DecisionForm(request.POST, sessions=list(access.case_appointments(request.user, case)))
    if not form.is_valid():
        record(request, "signal.create", case=case, outcome=Outcome.INVALID, detail=signal_id)
        messages.error(request, _("Please give a short reason; it stays on the case."))
        return redirect(f"{reverse('cases:guidance', args=[case.pk])}#signal-{signal_id}")
    try:
        saved, change = services.decide(
            request,
            case,
            signal_id,
            form.cleaned_data["decision"],
            form.cleaned_data["reason"],
            form.cleaned_data["request_id"],
            appointment=form.cleaned_data["appointment"],
        )
    except services.SignalGone:
        record(request, "signal.create", case=case, outcome=Outcome.INVALID, detail="gone")
        messages.error(
            request,
            _("This signal no longer applies; the case changed. Please look at the page again."),
        )
        return redirect("cases:guidance", pk=case.pk)
    if change is not None:
        messages.success(
            request,
            _("Accepted. The case is now on the track: %(track)s.")
            % {"track": change.get_track_display()},
        )
    elif saved.decision == Decision.ACCEPTED:
        messages.success(request, _("Accepted. Your reason is kept on the case."))
    else:
        messages.success(request, _("Dismissed. Your reason is kept on the case."))
    return redirect("cases:guidance", pk=case.pk)


@login_required
@require_POST
def change_track(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "track.create")
    form = TrackForm(request.POST)
    if not form.is_valid():
        record(request, "track.create", case=case, outcome=Outcome.INVALID)
        with transaction.atomic():
            track_items = display.timeline(case, request.user)
            record(request, "track.list", case=case, detail=f"{len(track_items)}")
        context = {"case": case, "track_form": form, "timeline": track_items}
        return render(request, "sessions/track_form.html", context, status=400)
    data = form.cleaned_data
    _change, created = services.change_track(
        request,
        case,
        track=data["track"],
        stage=data["stage"],
        focus=list(data["focus"]),
        reason=data["reason"],
        signal_ids=[],
        request_id=data["request_id"],
    )
    if created:
        messages.success(request, _("The track has been changed."))
    return redirect("cases:guidance", pk=case.pk)


# --- the cycle map ---------------------------------------------------------------------


def diagrams(
    case: Case, cycle_map: cycle_core.CycleMap, partners: Iterable[Partner] | None = None
) -> list[dict[str, Any]]:
    shown = case.partners.all() if partners is None else partners
    names = {p.slot: p.name for p in shown}
    return cycle_diagram.both(cycle_map, names)


@login_required
def cycle_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "cycle.read")
    user = request.user
    # Every version is listed; only the one shown is read (and decrypted) in full.
    versions = list(access.case_cycle_versions(user, case).defer("data_json"))
    latest = versions[0] if versions else None
    chosen = latest
    wanted = request.GET.get("version")
    if wanted and wanted.isascii() and wanted.isdigit() and len(wanted) <= 9:
        chosen = next((v for v in versions if v.number == int(wanted)), latest)
    if chosen is not None:
        chosen = access.case_cycle_versions(user, case).get(pk=chosen.pk)
    partners = list(case.partners.all())
    record(
        request,
        "cycle.read",
        obj=chosen,
        case=case,
        detail=f"v{chosen.number}" if chosen else "none yet",
    )
    cycle_map = services.cycle_of(chosen, case)
    names = _names(partners)
    context = {
        "case": case,
        "versions": versions,
        "version": chosen,
        "latest": latest,
        "diagrams": diagrams(case, cycle_map, partners),
        "flips": [names[slot] for slot in cycle_map.flips()],
        "publish_request_id": uuid.uuid4(),
    }
    return render(request, "sessions/cycle.html", context)


@login_required
def cycle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "cycle.create")
    slots = case.slots
    names = {p.slot: p.name for p in case.partners.all()}
    if request.method == "POST":
        form = CycleForm(request.POST, slots=slots)
        if form.is_valid():
            try:
                cycle_map = form.cycle_map()
            except cycle_core.CycleError as error:
                form.add_error(None, str(error))
            else:
                version, created = services.save_cycle(
                    request, case, cycle_map, form.cleaned_data["request_id"]
                )
                if created:
                    messages.success(
                        request,
                        _("Version %(number)s of the cycle map has been saved.")
                        % {"number": version.number},
                    )
                return redirect("cases:cycle", pk=case.pk)
        record(request, "cycle.create", case=case, outcome=Outcome.INVALID)
        prefilled = False
    else:
        with transaction.atomic():
            latest = services.latest_cycle(case)
            if latest is not None:
                record(request, "cycle.read", obj=latest, case=case, detail=f"v{latest.number}")
                cycle_map = services.cycle_of(latest, case)
                prefilled = False
            else:
                cycle_map = _prefill(request, case)
                prefilled = True
        initial = CycleForm.initial_from(cycle_map)
        initial["request_id"] = uuid.uuid4()
        form = CycleForm(initial=initial, slots=slots)
    context = {"case": case, "form": form, "names": names, "prefilled": prefilled}
    return render(request, "sessions/cycle_form.html", context)


def _prefill(request: HttpRequest, case: Case) -> cycle_core.CycleMap:
    """A first map from each partner's sent intake (their own positions only)."""
    administrations = list(questionnaires_access.case_administrations(request.user, case))
    latest = comparison.latest_sent(administrations)
    intakes = {}
    for (slot, instrument_id), administration in latest.items():
        if instrument_id == comparison.INTAKE_ID:
            intakes[slot] = administration.answers
            record(
                request,
                "questionnaire.read",
                obj=administration,
                partner=administration.partner,
                detail="cycle map prefill",
            )
    return cycle_core.prefill(intakes, tuple(case.slots))


@login_required
@require_POST
def cycle_publish(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    case = _case(request, pk, "cycle.update")
    version = access.case_cycle_versions(request.user, case).filter(number=number).first()
    if version is None:
        record(request, "cycle.update", case=case, outcome=Outcome.DENIED, detail=f"v{number}")
        raise Http404
    if services.publish_cycle(request, version):
        messages.success(
            request,
            _("Version %(number)s is now visible to the partners.") % {"number": version.number},
        )
    else:
        messages.info(request, _("This version was already visible to the partners."))
    return redirect("cases:cycle", pk=case.pk)
