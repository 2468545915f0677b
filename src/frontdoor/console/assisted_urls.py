"""Console URLs for assisted digital: console/urls.py includes them at the console's root."""

from django.urls import path

from frontdoor.console import assisted

FORM = "customers/<int:customer_id>/forms/<slug:service_code>/<slug:form_code>/"

urlpatterns = [
    path("customers/new-caller/", assisted.new_caller, name="assisted-new-caller"),
    path("customers/<int:customer_id>/forms/", assisted.choose_form, name="assisted-forms"),
    path("customers/<int:customer_id>/invite-to-my-account/", assisted.invite,
         name="assisted-invite"),
    path(FORM, assisted.start, name="assisted-start"),
    path(f"{FORM}check/", assisted.check, name="assisted-check"),
    path(f"{FORM}confirmation/", assisted.confirmation, name="assisted-confirmation"),
    path(f"{FORM}<slug:page_code>/", assisted.form_page, name="assisted-page"),
]
