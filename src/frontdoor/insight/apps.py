from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "frontdoor.insight"
    label = "insight"
    verbose_name = "Performance and insight"
