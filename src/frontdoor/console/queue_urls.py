"""Team queues and my cases (included by console/urls.py, names in the console namespace)."""

from django.urls import path

from frontdoor.console import queues

urlpatterns = [
    path("queues/", queues.queue_list, name="queues"),
    path("queues/<slug:team_code>/", queues.queue, name="queue"),
    path("queues/<slug:team_code>/assign/", queues.bulk_assign_cases, name="queue-assign"),
    path("my-cases/", queues.my_cases_page, name="my-cases"),
]
