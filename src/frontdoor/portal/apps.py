from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "frontdoor.portal"
    label = "portal"
    verbose_name = "Resident portal"
