from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "frontdoor.customers"
    label = "customers"
    verbose_name = "Customers"
