from django.apps import AppConfig


class CharterConfig(AppConfig):
    name = "frontdoor.charter"
    label = "charter"
    verbose_name = "Customer Charter"
