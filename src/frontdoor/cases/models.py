"""Cases: a piece of work for the council, with its reference, owner, clocks and history."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class CaseType(models.TextChoices):
    SERVICE_REQUEST = "service_request", "Service request"
    ENQUIRY = "enquiry", "Enquiry"
    COMPLAINT = "complaint", "Complaint"
    COMPLIMENT = "compliment", "Compliment"
    COMMENT = "comment", "Comment"
    FOI = "foi", "Freedom of Information request"
    SAR = "sar", "Subject access request"
    CALLBACK = "callback", "Callback"


class Status(models.TextChoices):
    NEW = "new", "New"
    ASSIGNED = "assigned", "Assigned"
    IN_PROGRESS = "in_progress", "In progress"
    WAITING_ON_CUSTOMER = "waiting_on_customer", "Waiting on customer"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = frozenset(
    {Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING_ON_CUSTOMER}
)

# The whole workflow. Assigning (assign_case), resolving, closing and reopening have their
# own actions because they need an owner, an outcome or a reason; change_status covers the
# other moves between open statuses.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset(
        {Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING_ON_CUSTOMER, Status.RESOLVED}
    ),
    Status.ASSIGNED: frozenset({Status.IN_PROGRESS, Status.WAITING_ON_CUSTOMER, Status.RESOLVED}),
    Status.IN_PROGRESS: frozenset({Status.WAITING_ON_CUSTOMER, Status.RESOLVED}),
    Status.WAITING_ON_CUSTOMER: frozenset({Status.IN_PROGRESS, Status.RESOLVED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
}


class Outcome(models.TextChoices):
    DONE = "done", "Done"
    DUPLICATE = "duplicate", "Duplicate"
    NOT_OUR_RESPONSIBILITY = "not_our_responsibility", "Not our responsibility"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    WITHDRAWN = "withdrawn", "Withdrawn by the customer"
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    INFORMATION_PROVIDED = "information_provided", "Information provided"
    INFORMATION_PARTLY_PROVIDED = "information_partly_provided", "Information partly provided"
    INFORMATION_WITHHELD = "information_withheld", "Information withheld"
    INFORMATION_NOT_HELD = "information_not_held", "Information not held"
    CALLED_BACK = "called_back", "Called back"
    NO_ANSWER = "no_answer", "No answer after several attempts"


class ParentRelation(models.TextChoices):
    DUPLICATE = "duplicate", "Duplicate of"
    RELATED = "related", "Related to"


class Case(models.Model):
    # Council prefix, year of receipt, per-year sequence: NN-2026-000123. Also Open311's
    # service_request_id and the thread key for email, so it never changes.
    reference = models.CharField(max_length=32, unique=True)
    case_type = models.CharField(max_length=20, choices=CaseType.choices)
    complaint_stage = models.PositiveSmallIntegerField(null=True, blank=True)
    service_code = models.CharField(max_length=64, blank=True)
    team_code = models.CharField(max_length=64)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_owned",
    )
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.NEW)
    outcome = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    channel = models.CharField(max_length=20)  # of the first contact
    received_at = models.DateTimeField()
    opened_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Denormalised from the charter clocks (earliest open due time) so queues sort in SQL.
    due_at = models.DateTimeField(null=True, blank=True)
    # The date the customer was told; moves only with an extension or a pause.
    promised_at = models.DateTimeField(null=True, blank=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.TextField(blank=True)
    uprn = models.PositiveBigIntegerField(null=True, blank=True)
    usrn = models.PositiveBigIntegerField(null=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    parent_relation = models.CharField(max_length=12, choices=ParentRelation.choices, blank=True)
    # Optimistic concurrency: every change bumps it; a human edit names the version it saw.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_created",
    )
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    # What the customer told us through the service's online form (field name -> answer).
    form_answers = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    # The My Account the case was made through (residents see only these and linked ones).
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_cases",
    )
    # A guest's private tracking link carries a random token; only its SHA-256 is stored.
    tracking_token_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["team_code", "status", "due_at"], name="case_team_queue"),
            models.Index(fields=["owner", "status", "due_at"], name="case_owner_queue"),
            models.Index(fields=["service_code", "received_at"], name="case_service_received"),
            # The queue's order (soonest due first) over open cases only, so a page of a
            # 100,000-case queue is read in order from the index instead of sorted.
            models.Index(
                fields=["team_code", "due_at", "received_at", "id"],
                condition=models.Q(status__in=sorted(OPEN_STATUSES)),
                name="case_open_queue_order",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseSequence(models.Model):
    """The last reference number issued in a year; locked while a case is opened."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class PartyRole(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    REPORTER = "reporter", "Reporter"
    REPRESENTATIVE = "representative", "Representative"


class CaseParty(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="case_parties"
    )
    role = models.CharField(max_length=16, choices=PartyRole.choices, default=PartyRole.CUSTOMER)

    class Meta:
        verbose_name_plural = "case parties"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "customer", "role"], name="case_party_once_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.role} {self.customer_id}"


class CaseContact(models.Model):
    """A contact that opened or joined a case (the link lives here, not in contacts)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_contacts")
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, related_name="case_links"
    )
    linked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "contact"], name="case_contact_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} <- contact {self.contact_id}"


class CaseAccountLink(models.Model):
    """Staff linked a case to a resident's account after checking their identity."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="account_links")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="linked_cases"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()
    identity_check = models.CharField(max_length=200)  # how identity was confirmed

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "account"], name="case_account_link_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} -> account {self.account_id}"


class AttachmentSource(models.TextChoices):
    STAFF = "staff", "Staff"
    PORTAL = "portal", "Resident portal"
    EMAIL = "email", "Email"
    OPEN311 = "open311", "Open311"
    API = "api", "REST API"


class Attachment(models.Model):
    """A file on a case (a photo of fly-tipping, a scanned letter, an email attachment)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    contact = models.ForeignKey(
        "contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="cases/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    source = models.CharField(max_length=10, choices=AttachmentSource.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    customer_visible = models.BooleanField(default=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class EventKind(models.TextChoices):
    OPENED = "opened", "Opened"
    ASSIGNED = "assigned", "Assigned"
    STATUS_CHANGED = "status_changed", "Status changed"
    NOTE_ADDED = "note_added", "Internal note"
    MESSAGE_SENT = "message_sent", "Update to the customer"
    CLOCK_PAUSED = "clock_paused", "Clock paused"
    CLOCK_RESUMED = "clock_resumed", "Clock resumed"
    DEADLINE_EXTENDED = "deadline_extended", "Deadline extended"
    TRANSFERRED = "transferred", "Transferred"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened"
    LINKED_DUPLICATE = "linked_duplicate", "Linked as duplicate"
    CONTACT_LINKED = "contact_linked", "Contact linked"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ATTACHMENT_ADDED = "attachment_added", "File added"
    INFORMATION_ADDED = "information_added", "Customer added information"
    ACCOUNT_LINKED = "account_linked", "Linked to My Account"
    CUSTOMER_NOT_TOLD = "customer_not_told", "Customer could not be told"
    MESSAGE_DECIDED = "message_decided", "Message decision"


class CaseEventQuerySet(models.QuerySet["CaseEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("case history is append-only")


class CaseEvent(models.Model):
    """Append-only history of a case; `customer_visible` events are what the resident sees."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )  # null: the system
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    summary = models.TextField()
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    customer_visible = models.BooleanField(default=False)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_history")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("case history is append-only")
        super().save(*args, **kwargs)
