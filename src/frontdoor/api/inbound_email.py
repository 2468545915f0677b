"""The inbound email webhook: POST /api/inbound-email.

For mail services that deliver by HTTP (and for relays we run): the body is the raw email,
either as `Content-Type: message/rfc822` or as the file (or field) "email" of a
multipart/form-data POST. `Authorization: Bearer <FRONTDOOR_INBOUND_EMAIL_TOKEN>` is
required. The answer is 202 once the email is stored (whatever became of it: a new case, a
reply on one, ignored as automatic mail, or kept for staff as unprocessed), with its status.
Include with `path("api/inbound-email", include("frontdoor.api.inbound_email"))`.
"""

from __future__ import annotations

import hmac
import os

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from frontdoor.cases.inbound_email import take_in_email

# Past this the sender should bounce it: emails over 25 MB are kept raw, not taken apart,
# and nothing legitimate is this big (most providers stop at 25-50 MB).
MAX_REQUEST_BYTES = 60 * 1024 * 1024


@csrf_exempt
@require_POST
def receive_email(request: HttpRequest) -> JsonResponse:
    expected = os.environ.get("FRONTDOOR_INBOUND_EMAIL_TOKEN", "")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return JsonResponse({"error": "unauthorised"}, status=401)
    length = int(request.headers.get("Content-Length") or 0)
    if length > MAX_REQUEST_BYTES:
        return JsonResponse({"error": "too large"}, status=413)
    content_type = request.content_type or ""
    if content_type == "message/rfc822":
        # Read the stream: request.body would stop at DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
        raw = request.read(MAX_REQUEST_BYTES + 1)
    elif content_type == "multipart/form-data":
        upload = request.FILES.get("email")
        if upload is not None:
            raw = upload.read(MAX_REQUEST_BYTES + 1)
        else:
            raw = request.POST.get("email", "").encode("utf-8", "surrogateescape")
    else:
        return JsonResponse({"error": "send the email as message/rfc822, or as the field "
                                      "'email' of multipart/form-data"}, status=415)
    if not raw:
        return JsonResponse({"error": "the email is empty"}, status=400)
    if len(raw) > MAX_REQUEST_BYTES:
        return JsonResponse({"error": "too large"}, status=413)
    outcome = take_in_email(raw=raw, source="webhook", now=timezone.now())
    return JsonResponse({"status": outcome.status, "inbound_id": outcome.inbound_id,
                         "case_reference": outcome.case_reference, "reason": outcome.reason},
                        status=202)


urlpatterns = [path("", receive_email, name="inbound-email")]
