from django.apps import AppConfig


class CouncilConfig(AppConfig):
    name = "frontdoor.council"
    label = "council"
    verbose_name = "Council configuration"
