"""GOV.UK Notify delivery-receipt callbacks: POST /api/notify/callback.

Notify sends `Authorization: Bearer <token>` with the token set in its callback settings
(FRONTDOOR_NOTIFY_CALLBACK_TOKEN here) and a JSON body with `id`, `reference`, `status`,
`completed_at`… Include with `path("api/notify/callback", include(notify_callbacks))`.
"""

from __future__ import annotations

import hmac
import json
import os

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from frontdoor.core.errors import FrontDoorError, NotFound
from frontdoor.core.time import parse_instant
from frontdoor.notifications.actions import record_delivery_receipt


@csrf_exempt
@require_POST
def notify_receipt(request: HttpRequest) -> JsonResponse:
    expected = os.environ.get("FRONTDOOR_NOTIFY_CALLBACK_TOKEN", "")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return JsonResponse({"error": "unauthorised"}, status=401)
    try:
        body = json.loads(request.body)
        at_text = body.get("completed_at") or body.get("sent_at")
        at = parse_instant(at_text, field="completed_at") if at_text else timezone.now()
        message = record_delivery_receipt(
            provider_reference=str(body["id"]), status=str(body["status"]), at=at
        )
    except NotFound as error:
        # Not ours (or already pruned): answer 200 so Notify stops retrying.
        return JsonResponse({"result": "ignored", "detail": error.message})
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "expected Notify's JSON callback body"}, status=400)
    except FrontDoorError as error:
        return JsonResponse(error.as_dict(), status=400)
    return JsonResponse({"result": "recorded", "status": message.status})


urlpatterns = [path("", notify_receipt, name="notify-callback")]
