from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "frontdoor.contacts"
    label = "contacts"
    verbose_name = "Contacts"
