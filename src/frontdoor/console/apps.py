from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "frontdoor.console"
    label = "console"
    verbose_name = "Staff console"
