"""Service catalogue: the knowledge base (articles and their revisions) and the signposting
directory (other organisations we send people to). Services themselves live in the council
configuration; articles refer to a service by its code.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class KnowledgeArticle(models.Model):
    """What an agent needs to answer one kind of question: plain English, a script, a form link."""

    # Stable key for seeded articles so `seed-knowledge` can run again without duplicating.
    slug = models.SlugField(max_length=100, unique=True)
    service_code = models.CharField(max_length=64, db_index=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500)
    body = models.TextField()
    what_we_need = models.JSONField(default=list, blank=True)  # list of short strings
    script = models.TextField(blank=True)
    online_form_url = models.CharField(max_length=300, blank=True)
    keywords = models.JSONField(default=list, blank=True)  # list of lower-case phrases
    # Lower-case title, summary, keywords and body in one column: searched the same way on
    # SQLite and PostgreSQL; kept by the actions, never edited by hand.
    search_text = models.TextField(blank=True, editable=False)
    published = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["service_code", "published"], name="article_service")]

    def __str__(self) -> str:
        return self.title


class ArticleRevision(models.Model):
    """One edit of an article: who, when, which fields changed and the article as it then was."""

    article = models.ForeignKey(KnowledgeArticle, on_delete=models.CASCADE,
                                related_name="revisions")
    number = models.PositiveIntegerField()
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_label = models.CharField(max_length=200)  # kept if the account is later removed
    summary = models.CharField(max_length=300)  # "Created", "Changed the script and title"
    changed_fields = models.JSONField(default=list)
    note = models.TextField(blank=True)  # why, in the editor's words
    snapshot = models.JSONField()  # the article's content after this revision

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} revision {self.number}"


class SignpostOrganisation(models.Model):
    """Another organisation the council sends people to, with how to reach them."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    help_with = models.TextField()  # what they help with, in plain English
    phone = models.CharField(max_length=60, blank=True)
    email = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=300, blank=True)
    address = models.TextField(blank=True)
    opening_hours = models.CharField(max_length=300, blank=True)
    service_codes = models.JSONField(default=list, blank=True)  # our services they relate to
    keywords = models.JSONField(default=list, blank=True)
    area = models.CharField(max_length=200, blank=True)  # "Norfolk", "England and Wales"
    search_text = models.TextField(blank=True, editable=False)
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def as_signpost(self) -> dict[str, str]:
        """The details a contact record keeps when someone is signposted here."""
        return {"name": self.name, "phone": self.phone, "url": self.url}


from frontdoor.catalogue.drafts import FormDraft  # noqa: E402,F401  (online-form drafts)
