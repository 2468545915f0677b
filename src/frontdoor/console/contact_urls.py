"""Log a contact: /staff/contacts/… (names in the console namespace: console:log-contact, …)."""

from django.urls import path

from frontdoor.console import contacts

urlpatterns = [
    path("contacts/new/", contacts.log_contact, name="log-contact"),
    path("contacts/new/<str:token>/", contacts.contact_outcome, name="contact-outcome"),
    path("contacts/<int:contact_id>/result/", contacts.contact_result, name="contact-result"),
]
