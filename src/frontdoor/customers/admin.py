"""Customers: admin. Customer history is read-only; contact details are edited inline."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from frontdoor.core.admin import ReadOnlyAdmin
from frontdoor.customers.models import (
    Address,
    Consent,
    Customer,
    CustomerEvent,
    EmailAddress,
    NameWord,
    PhoneNumber,
    Representative,
    WarningMarker,
)


class EmailInline(admin.TabularInline[EmailAddress, Customer]):
    model = EmailAddress
    extra = 0


class PhoneInline(admin.TabularInline[PhoneNumber, Customer]):
    model = PhoneNumber
    extra = 0


class AddressInline(admin.StackedInline[Address, Customer]):
    model = Address
    extra = 0


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin[Customer]):
    list_display = ["id", "display_name", "kind", "ward_code", "created_at", "merged_into"]
    list_filter = ["kind", "preferred_channel"]
    search_fields = ["family_name", "given_name", "organisation_name", "emails__address"]
    readonly_fields = [
        "created_at",
        "updated_at",
        "merged_into",
        "merged_at",
        "erased_at",
        "version",
    ]
    raw_id_fields = ["merged_into"]
    inlines = [EmailInline, PhoneInline, AddressInline]


@admin.register(EmailAddress)
class EmailAddressAdmin(admin.ModelAdmin[EmailAddress]):
    list_display = ["address", "customer", "is_primary", "verified_at"]
    search_fields = ["address"]
    raw_id_fields = ["customer"]


@admin.register(PhoneNumber)
class PhoneNumberAdmin(admin.ModelAdmin[PhoneNumber]):
    list_display = ["e164", "kind", "customer", "is_primary"]
    search_fields = ["e164"]
    raw_id_fields = ["customer"]


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin[Address]):
    list_display = ["line1", "town", "postcode", "uprn", "ward_code", "customer", "is_primary"]
    search_fields = ["postcode", "uprn", "line1"]
    list_filter = ["ward_code"]
    raw_id_fields = ["customer"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin[Consent]):
    list_display = ["customer", "purpose", "lawful_basis", "given_at", "withdrawn_at"]
    list_filter = ["purpose", "lawful_basis"]
    raw_id_fields = ["customer", "recorded_by"]


@admin.register(WarningMarker)
class WarningMarkerAdmin(admin.ModelAdmin[WarningMarker]):
    list_display = ["customer", "category", "added_at", "review_at", "removed_at"]
    list_filter = ["category"]
    raw_id_fields = ["customer", "added_by", "removed_by"]


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin[Representative]):
    list_display = ["name", "role", "customer"]
    list_filter = ["role"]
    raw_id_fields = ["customer"]


@admin.register(CustomerEvent)
class CustomerEventAdmin(admin.ModelAdmin[CustomerEvent]):
    list_display = ["at", "customer", "action", "summary"]
    list_filter = ["action"]
    readonly_fields = [f.name for f in CustomerEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(NameWord)
class NameWordAdmin(ReadOnlyAdmin):
    """The words of customers' names that typo-tolerant search corrects against (no ids)."""
