"""Open311 GeoReport v2 under /open311/v2/ (the base URL clients are given ends in /)."""

from django.urls import re_path

from frontdoor.open311 import views

app_name = "open311"

# Every resource carries its format as a suffix; the view answers 404 for anything but
# .xml and .json. Codes and references never contain a dot, so the last one starts the suffix.
urlpatterns = [
    re_path(r"^discovery\.(?P<fmt>[^/.]+)$", views.discovery, name="discovery"),
    re_path(r"^services\.(?P<fmt>[^/.]+)$", views.service_list, name="services"),
    re_path(r"^services/(?P<service_code>[^/]+)\.(?P<fmt>[^/.]+)$", views.service_definition,
            name="service"),
    re_path(r"^requests\.(?P<fmt>[^/.]+)$", views.service_requests, name="requests"),
    re_path(r"^requests/(?P<request_id>[^/]+)\.(?P<fmt>[^/.]+)$", views.service_request,
            name="request"),
    re_path(r"^tokens/(?P<token>[^/]+)\.(?P<fmt>[^/.]+)$", views.token, name="token"),
    re_path(r"^servicerequestupdates\.(?P<fmt>[^/.]+)$", views.service_request_updates,
            name="updates"),
]
