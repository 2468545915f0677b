"""Service pages and online forms (included by portal/urls.py, so names are "portal:…")."""

from django.urls import path

from frontdoor.portal import form_views, service_pages

FORM = "services/<slug:service_code>/<slug:form_code>/"

urlpatterns = [
    path("services/<slug:service_code>/", service_pages.service_page, name="service"),
    path(f"{FORM}start/", form_views.form_start, name="form_start"),
    path(f"{FORM}check/", form_views.form_check, name="form_check"),
    path(f"{FORM}nearby/", form_views.form_nearby, name="form_nearby"),
    path(f"{FORM}confirmation/", form_views.form_confirmation, name="form_confirmation"),
    path(f"{FORM}resume/<str:token>/", form_views.form_resume, name="form_resume"),
    path(f"{FORM}<slug:page_code>/", form_views.form_page, name="form_page"),
]
