"""Customers: people and organisations, their contact details, needs, consents and markers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from frontdoor.audit.errors import AppendOnlyViolation

ERASED_NAME = "Erased customer"


class CustomerKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"


class PreferredChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter"
    NONE = "none", "No preference"


class AlternativeFormat(models.TextChoices):
    LARGE_PRINT = "large_print", "Large print"
    BRAILLE = "braille", "Braille"
    EASY_READ = "easy_read", "Easy read"
    AUDIO = "audio", "Audio"
    TRANSLATION = "translation", "Translation"


class VulnerabilityFlag(models.TextChoices):
    HEARING = "hearing_impairment", "Deaf or hard of hearing"
    SIGHT = "sight_impairment", "Blind or partially sighted"
    MOBILITY = "mobility", "Mobility needs"
    MENTAL_HEALTH = "mental_health", "Mental health"
    LEARNING_DISABILITY = "learning_disability", "Learning disability"
    LANGUAGE = "language", "Limited English"
    LITERACY = "literacy", "Reading or writing difficulty"
    BEREAVEMENT = "bereavement", "Recently bereaved"
    FINANCIAL_HARDSHIP = "financial_hardship", "Financial hardship"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    CARE_LEAVER = "care_leaver", "Care leaver"
    OLDER_PERSON = "older_person", "Older person living alone"
    OTHER = "other", "Other (see needs)"


class Customer(models.Model):
    kind = models.CharField(max_length=12, choices=CustomerKind.choices)
    title = models.CharField(max_length=30, blank=True)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    organisation_name = models.CharField(max_length=200, blank=True)
    # "given family organisation", lower case, accents and punctuation removed: what name
    # search matches against (validation.search_name_for). The actions and the bulk import
    # keep it in step; PostgreSQL indexes it with pg_trgm (migration 0002).
    search_name = models.CharField(max_length=400, blank=True, default="")
    date_of_birth = models.DateField(null=True, blank=True)
    preferred_channel = models.CharField(
        max_length=10, choices=PreferredChannel.choices, default=PreferredChannel.NONE
    )
    preferred_language = models.CharField(max_length=10, default="en")
    alternative_formats = models.JSONField(default=list, blank=True)  # AlternativeFormat values
    needs = models.TextField(blank=True)
    vulnerability_flags = models.JSONField(default=list, blank=True)  # VulnerabilityFlag values
    # Kept after erasure so statistics by ward survive; copied from the primary address.
    ward_code = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_tombstones"
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["family_name", "given_name"]),
            models.Index(fields=["organisation_name"]),
            models.Index(fields=["ward_code"]),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} (#{self.pk})"

    @property
    def display_name(self) -> str:
        if self.erased_at is not None:
            return ERASED_NAME
        if self.kind == CustomerKind.ORGANISATION:
            return self.organisation_name
        return " ".join(p for p in (self.title, self.given_name, self.family_name) if p)

    @property
    def is_tombstone(self) -> bool:
        return self.merged_into_id is not None


class NameWord(models.Model):
    """Each word used in customers' names, once (no link to anyone): name search looks typos
    up here first, then finds the customers with the corrected words (PostgreSQL)."""

    word = models.CharField(max_length=100, unique=True)

    def __str__(self) -> str:
        return self.word


class EmailAddress(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField(max_length=254)  # stored lower-cased
    is_primary = models.BooleanField(default=False)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["address"])]

    def __str__(self) -> str:
        return self.address


class PhoneKind(models.TextChoices):
    MOBILE = "mobile", "Mobile"
    LANDLINE = "landline", "Landline"


class PhoneNumber(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="phones")
    e164 = models.CharField(max_length=20)
    kind = models.CharField(max_length=10, choices=PhoneKind.choices)
    is_primary = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["e164"])]

    def __str__(self) -> str:
        return self.e164


class Address(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8)  # normalised "NR27 9EN"
    uprn = models.CharField(max_length=12, blank=True)
    usrn = models.CharField(max_length=8, blank=True)
    ward_code = models.CharField(max_length=64, blank=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "addresses"
        indexes = [models.Index(fields=["postcode"]), models.Index(fields=["uprn"])]

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line1, self.line2, self.town, self.postcode) if p)


class ConsentPurpose(models.TextChoices):
    SHARE_BETWEEN_SERVICES = "share_between_services", "Share my details between council services"
    TELL_US_ONCE = "tell_us_once", "Tell Us Once"
    UPDATES = "updates", "Send me updates I subscribe to"
    RESEARCH = "research", "Contact me about research and surveys"


class LawfulBasis(models.TextChoices):
    # UK GDPR article 6(1)
    CONSENT = "consent", "Consent"
    CONTRACT = "contract", "Contract"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation"
    VITAL_INTERESTS = "vital_interests", "Vital interests"
    PUBLIC_TASK = "public_task", "Public task"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests"


class Consent(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=30, choices=ConsentPurpose.choices)
    services = models.JSONField(default=list, blank=True)  # service codes; empty = all services
    lawful_basis = models.CharField(
        max_length=24, choices=LawfulBasis.choices, default=LawfulBasis.CONSENT
    )
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.purpose} ({'withdrawn' if self.withdrawn_at else 'given'})"


class WarningCategory(models.TextChoices):
    VIOLENCE = "violence", "Violence or threat of violence"
    VERBAL_ABUSE = "verbal_abuse", "Verbal abuse"
    LONE_WORKER_RISK = "lone_worker_risk", "Do not visit alone"
    HARASSMENT = "harassment", "Harassment of staff"
    UNREASONABLE_CONDUCT = "unreasonable_conduct", "Unreasonable persistent contact"
    ANIMAL = "animal", "Dangerous animal at the property"
    HEALTH_HAZARD = "health_hazard", "Health hazard at the property"


class WarningMarker(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="warning_markers")
    category = models.CharField(max_length=24, choices=WarningCategory.choices)
    description = models.TextField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField()
    review_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removal_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.get_category_display()


class RepresentativeRole(models.TextChoices):
    COUNCILLOR = "councillor", "Councillor"
    MP = "mp", "MP"
    ADVOCATE = "advocate", "Advocate"
    FAMILY = "family", "Family member"
    OTHER = "other", "Other"


class Representative(models.Model):
    """Someone who may act for the customer (a councillor, an MP, an advocate, family)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="representatives")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=12, choices=RepresentativeRole.choices)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)  # E.164
    authority_note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class CustomerEventQuerySet(models.QuerySet["CustomerEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyViolation("customer history is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyViolation("customer history is append-only")

    def redact_for_erasure(self) -> int:
        """The one permitted rewrite: erasure blanks the personal data the history held."""
        return super().update(summary="Redacted: the customer's personal data was erased", data={})


class CustomerEvent(models.Model):
    """One change to a customer, for the history the console shows (append-only)."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    summary = models.TextField()
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = CustomerEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["customer", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyViolation("customer history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyViolation("customer history is append-only")
