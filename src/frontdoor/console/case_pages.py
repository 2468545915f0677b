"""The staff case page and every change made from it.

Each change is a POST carrying the version of the case the person was looking at
(`expected_version`) and the last event they saw (`seen_event`). If someone else changed
the case in between, the action saves nothing (Conflict) and the page comes back saying so,
with what changed and everything the person typed still in the form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from frontdoor.cases import actions
from frontdoor.cases.models import AttachmentSource, Case, Status
from frontdoor.cases.queries import (
    attachment_for_staff,
    case_by_reference_for,
    case_for_staff_change,
    case_message,
    case_page_for_staff,
    events_since,
    message_needs_decision,
    team_officers,
)
from frontdoor.cases.uploads import ALLOWED_DESCRIPTION, MAX_UPLOAD_BYTES, check_upload
from frontdoor.console.pages import council_or_none, render_staff_page, staff_only
from frontdoor.core.errors import Conflict, Forbidden, FrontDoorError, InvalidInput, NotFound

CONFLICT_TEXT = (
    "Someone else changed this case while you had it open. Nothing was saved. "
    "Check what changed below; what you typed is kept in the form so you can send it again."
)


@require_safe
@staff_only
def case_page(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_response(request, reference)


# A FileResponse streams: it is not an HttpResponse, which staff_only's type expects.
@require_safe  # type: ignore[type-var]
@staff_only
def download_attachment(request: HttpRequest, reference: str,
                        attachment_id: int) -> HttpResponseBase:
    try:
        attachment = attachment_for_staff(user=request.user,  # type: ignore[arg-type]
                                          reference=reference, attachment_id=attachment_id,
                                          now=timezone.now())
    except NotFound:
        raise Http404("No such file") from None
    return FileResponse(attachment.file.open("rb"), as_attachment=True,
                        filename=attachment.original_name,
                        content_type=attachment.content_type)


# ------------------------------------------------------------------------------ actions


@dataclass(frozen=True)
class Change:
    """One POST endpoint: what it does and where its fields' errors point."""

    run: Callable[[HttpRequest, Case, Any, datetime, int], str]  # -> success message
    fields: dict[str, str]  # action's error field -> the input's id on the page
    form: str  # the id of the form's section (opened again when it comes back with errors)


def _text(request: HttpRequest, name: str) -> str:
    return request.POST.get(name, "")


def _take(request: HttpRequest, case: Case, user: Any, now: datetime, version: int) -> str:
    actions.assign_case(case=case, owner=user, by=user, now=now, expected_version=version)
    return f"You now own {case.reference}"


def _assign(request: HttpRequest, case: Case, user: Any, now: datetime, version: int) -> str:
    chosen = _text(request, "assign_owner")
    officers = {str(o.user.pk): o.user for o in team_officers(case.team_code)}
    if chosen not in officers:
        raise InvalidInput("owner", "required", "Choose who to assign the case to")
    owner = officers[chosen]
    actions.assign_case(case=case, owner=owner, by=user, now=now, expected_version=version)
    return f"{case.reference} assigned to {owner.display_name or owner.email}"


def _note(request: HttpRequest, case: Case, user: Any, now: datetime, version: int) -> str:
    actions.add_internal_note(case=case, text=_text(request, "note_text"), by=user, now=now,
                              expected_version=version)
    return "Internal note added"


def _update(request: HttpRequest, case: Case, user: Any, now: datetime, version: int) -> str:
    actions.add_customer_update(case=case, text=_text(request, "update_text"), by=user, now=now,
                                expected_version=version)
    return "Update saved and sent to the customer"


def _status(request: HttpRequest, case: Case, user: Any, now: datetime, version: int) -> str:
    status = _text(request, "new_status")
    if not status:
        raise InvalidInput("status", "required", "Choose the new status")
    actions.change_status(case=case, status=status, by=user, now=now, expected_version=version,
                          note=_text(request, "status_note"))
    return f"Status changed to {Status(status).label.lower()}"


def _pause(request: HttpRequest, case: Case, user: Any, now: datetime, version: int) -> str:
    actions.change_status(case=case, status=Status.WAITING_ON_CUSTOMER, by=user, now=now,
                          expected_version=version, note=_text(request, "pause_note"))
    return "Clock paused while you wait for the customer"


def _resume(request: HttpRequest, case: Case, user: Any, now: datetime, version: int) -> str:
    actions.change_status(case=case, status=Status.IN_PROGRESS, by=user, now=now,
                          expected_version=version)
    return "Clock restarted: the due date has moved by the time spent waiting"


def _extend(request: HttpRequest, case: Case, user: Any, now: datetime, version: int) -> str:
    new_date = _date_from(request.POST, "extend_date")
    actions.extend_deadline(case=case, new_due_date=new_date,
                            reason=_text(request, "extend_reason"), by=user, now=now,
                            expected_version=version)
    return "Deadline extended: the customer has been told the new date and why"


def _transfer(request: HttpRequest, case: Case, user: Any, now: datetime, version: int) -> str:
    to_team = _text(request, "to_team")
    if not to_team:
        raise InvalidInput("to_team", "required", "Choose the team to pass the case to")
    actions.transfer_case(case=case, to_team=to_team, note=_text(request, "transfer_note"),
                          by=user, now=now, expected_version=version)
    return f"{case.reference} passed to another team"


def _acknowledge(request: HttpRequest, case: Case, user: Any, now: datetime, version: int) -> str:
    actions.record_acknowledgement(case=case, at=now, by=user, expected_version=version)
    return "Acknowledgement recorded: the response deadline now runs from today"


def _resolve(request: HttpRequest, case: Case, user: Any, now: datetime, version: int) -> str:
    outcome = _text(request, "outcome")
    if not outcome:
        raise InvalidInput("outcome", "required", "Choose the outcome")
    actions.resolve_case(case=case, outcome=outcome, note=_text(request, "resolve_note"),
                         by=user, now=now, expected_version=version)
    return f"{case.reference} resolved: the customer has been told the outcome"


def _close(request: HttpRequest, case: Case, user: Any, now: datetime, version: int) -> str:
    actions.close_case(case=case, by=user, now=now, expected_version=version,
                       note=_text(request, "close_note") or None)
    return f"{case.reference} closed"


def _reopen(request: HttpRequest, case: Case, user: Any, now: datetime, version: int) -> str:
    actions.reopen_case(case=case, reason=_text(request, "reopen_reason"), by=user, now=now,
                        expected_version=version)
    return f"{case.reference} reopened"


def _duplicate(request: HttpRequest, case: Case, user: Any, now: datetime, version: int) -> str:
    of_case = case_by_reference_for(user=user, reference=_text(request, "of_reference"),
                                    field="of_case")
    actions.link_duplicate(case=case, of_case=of_case, by=user, now=now,
                           expected_version=version)
    return f"Linked as a duplicate of {of_case.reference}"


def _upload(request: HttpRequest, case: Case, user: Any, now: datetime, version: int) -> str:
    uploaded = request.FILES.get("upload_file")
    if uploaded is None:
        raise InvalidInput("file", "required", "Select a file")
    if uploaded.size is not None and uploaded.size > MAX_UPLOAD_BYTES:
        raise InvalidInput("file", "too_big", "The selected file must be smaller than "
                           f"{MAX_UPLOAD_BYTES // (1024 * 1024)}MB")
    checked = check_upload(name=uploaded.name or "file", content=uploaded.read())
    actions.add_attachment(case=case, upload=checked, source=AttachmentSource.STAFF, by=user,
                           now=now, customer_visible=request.POST.get("upload_visible") == "yes")
    return f"{checked.name} added to the case"


CHANGES: dict[str, Change] = {
    "take": Change(_take, {"owner": "take"}, "summary"),
    "assign": Change(_assign, {"owner": "assign-owner"}, "assign"),
    "note": Change(_note, {"text": "note-text"}, "note"),
    "update": Change(_update, {"text": "update-text"}, "update"),
    "status": Change(_status, {"status": "new-status", "text": "status-note"}, "status"),
    "pause": Change(_pause, {"status": "pause-note"}, "pause"),
    "resume": Change(_resume, {"status": "resume"}, "pause"),
    "extend": Change(_extend, {"new_due_date": "extend-date-day", "new_due_at": "extend-date-day",
                               "reason": "extend-reason"}, "extend"),
    "transfer": Change(_transfer, {"to_team": "to-team", "note": "transfer-note"}, "transfer"),
    "acknowledge": Change(_acknowledge, {}, "acknowledge"),
    "resolve": Change(_resolve, {"outcome": "outcome", "status": "outcome",
                                 "note": "resolve-note"}, "resolve"),
    "close": Change(_close, {"status": "close-note"}, "close"),
    "reopen": Change(_reopen, {"reason": "reopen-reason", "status": "reopen-reason"}, "reopen"),
    "duplicate": Change(_duplicate, {"of_case": "of-reference"}, "duplicate"),
    "upload": Change(_upload, {"file": "upload-file"}, "files-upload"),
}


@require_POST
@staff_only
def change_case(request: HttpRequest, reference: str, change: str) -> HttpResponse:
    """Run one change on the case; back to the page with a success banner, or the errors."""
    if change not in CHANGES:
        raise Http404("No such change")
    spec = CHANGES[change]
    user: Any = request.user
    try:
        case = case_for_staff_change(user=user, reference=reference)
    except NotFound:
        raise Http404("No such case") from None
    version = _int(request.POST.get("expected_version"))
    if version is None:
        return _case_response(request, reference, status=400, open_form=spec.form,
                              errors=[{"text": "The page was out of date: check the case and "
                                       "try again", "href": f"#{spec.form}"}])
    try:
        done = spec.run(request, case, user, timezone.now(), version)
    except Forbidden as error:
        raise PermissionDenied(error.message) from None
    except NotFound:
        raise Http404("No such case") from None
    except Conflict:
        return _case_response(request, reference, status=409, conflict=True, open_form=spec.form)
    except FrontDoorError as error:
        # An error with no field (a charter limit on extensions) points at the form's first input.
        first = next(iter(spec.fields.values()), spec.form)
        target = spec.fields.get(error.field or "", first)
        return _case_response(request, reference, status=400, open_form=spec.form,
                              errors=[{"text": _sentence(error.message), "href": f"#{target}"}],
                              field_errors={target: _sentence(error.message)})
    messages.success(request, done)
    return redirect(_next_url(request, case))


@require_POST
@staff_only
def decide_message(request: HttpRequest, reference: str, message_id: int,
                   decision: str) -> HttpResponse:
    """Send again, or give up on, a message whose outcome is unknown or that failed for good."""
    user: Any = request.user
    now = timezone.now()
    try:
        case = case_for_staff_change(user=user, reference=reference)
        message = case_message(case=case, message_id=message_id)
        if decision == "resend":
            actions.resend_case_message(case=case, message=message, by=user, now=now)
            done = "The message will be sent again"
        else:
            actions.abandon_case_message(case=case, message=message, by=user, now=now,
                                         reason=_text(request, f"abandon_reason_{message_id}"))
            done = "The message will not be sent again"
    except NotFound:
        raise Http404("No such message") from None
    except Forbidden as error:
        raise PermissionDenied(error.message) from None
    except FrontDoorError as error:
        target = f"abandon-reason-{message_id}"
        return _case_response(request, reference, status=400, open_form="messages",
                              errors=[{"text": _sentence(error.message), "href": f"#{target}"}],
                              field_errors={target: _sentence(error.message)})
    messages.success(request, done)
    return redirect(reverse("console:case", args=[case.reference]) + "#messages")


# ------------------------------------------------------------------------------ the page


def _case_response(
    request: HttpRequest,
    reference: str,
    *,
    status: int = 200,
    errors: list[dict[str, str]] | None = None,
    field_errors: dict[str, str] | None = None,
    conflict: bool = False,
    open_form: str | None = None,
) -> HttpResponse:
    user: Any = request.user
    try:
        page = case_page_for_staff(user=user, reference=reference, now=timezone.now())
    except NotFound:
        raise Http404("No such case") from None
    except Forbidden as error:
        raise PermissionDenied(error.message) from None
    kept: QueryDict | dict[str, str] = request.POST if request.method == "POST" else {}
    changed = []
    if conflict:
        changed = events_since(page, _int(request.POST.get("seen_event")) or 0)
        errors = [{"text": CONFLICT_TEXT, "href": f"#{open_form}"}]
    case = page.case
    return render_staff_page(
        request,
        "console/cases/case.html",
        title=case.reference,
        nav="queues",
        status=status,
        has_errors=bool(errors),
        context={
            "page": page,
            "case": case,
            "errors": errors or [],
            "field_errors": field_errors or {},
            "conflict": conflict,
            "changed": changed,
            "kept": kept,
            "open_form": open_form,
            "team_name": _team_name(case.team_code),
            "service_name": _service_name(case.service_code),
            "teams": _other_teams(case.team_code),
            "customer_links": [(c, _customer_url(c.pk)) for c in page.customers],
            "messages_rows": [
                {"message": m, "needs_decision": message_needs_decision(m),
                 "history": sorted(m.history.all(), key=lambda h: (h.at, h.pk))}
                for m in page.messages
            ],
            "form_answers": _answers(case.form_answers),
            "upload_hint": f"{ALLOWED_DESCRIPTION[0].upper()}{ALLOWED_DESCRIPTION[1:]}, "
                           f"smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)}MB",
            "today": timezone.localdate(),
            "queue_url": reverse("console:queue", args=[case.team_code]),
            "flashed": [str(m) for m in messages.get_messages(request)],
            "officer_choices": [(o.user.pk, o.user.display_name or o.user.email)
                                for o in page.officers],
        },
    )


def _answers(answers: Any) -> list[tuple[str, str]]:
    if not isinstance(answers, dict):
        return []
    rows = []
    for name, value in answers.items():
        label = str(name).replace("_", " ").replace("-", " ").capitalize()
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        rows.append((label, "" if value is None else str(value)))
    return rows


def _customer_url(customer_id: int) -> str:
    try:
        return reverse("console:customer", args=[customer_id])
    except NoReverseMatch:
        return f"/staff/customers/{customer_id}/"


def _team_name(code: str) -> str:
    config = council_or_none()
    try:
        return str(config.team(code).name.get("en")) if config else code
    except KeyError:
        return code


def _service_name(code: str) -> str:
    config = council_or_none()
    try:
        return str(config.service(code).name.get("en")) if config and code else code
    except KeyError:
        return code


def _other_teams(current: str) -> list[tuple[str, str]]:
    config = council_or_none()
    if config is None:
        return []
    return sorted(((t.code, t.name.get("en")) for t in config.teams if t.code != current),
                  key=lambda item: item[1])


def _date_from(data: QueryDict, prefix: str) -> date:
    parts = [data.get(f"{prefix}-{part}", "").strip() for part in ("day", "month", "year")]
    if not any(parts):
        raise InvalidInput("new_due_date", "required", "Enter the new date")
    if not all(p.isdigit() for p in parts):
        raise InvalidInput("new_due_date", "invalid", "The new date must be a real date")
    day, month, year = (int(p) for p in parts)
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput("new_due_date", "invalid", "The new date must be a real date") from None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _sentence(message: str) -> str:
    message = message.strip()
    return message[:1].upper() + message[1:] if message else message


def _next_url(request: HttpRequest, case: Case) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return wanted
    return reverse("console:case", args=[case.reference])

