from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "frontdoor.catalogue"
    label = "catalogue"
    verbose_name = "Service catalogue"
