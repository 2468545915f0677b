"""Console URLs for customers: console/urls.py includes them under customers/ ("console")."""

from django.urls import path

from frontdoor.console import customers

urlpatterns = [
    path("", customers.customer_search, name="customer-search"),
    path("<int:customer_id>/", customers.customer, name="customer"),
    path(
        "<int:customer_id>/merge/<int:other_id>/",
        customers.customer_merge,
        name="customer-merge",
    ),
    path(
        "<int:customer_id>/unmerge/<int:other_id>/",
        customers.customer_unmerge,
        name="customer-unmerge",
    ),
    path("<int:customer_id>/warning-markers/", customers.customer_markers, name="customer-markers"),
]
