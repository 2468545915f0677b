"""Service catalogue: functions that change state.

Knowledge articles and signposting entries are edited by the roles with `knowledge.edit`
(team leaders, managers, administrators). `by=None` is the system (the seed command). Every
change of an article writes an ArticleRevision (who, when, what changed, the content after)
and an audit entry, in one transaction; an edit made on a stale copy raises Conflict.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from django.db import transaction
from django.utils.text import slugify

from frontdoor.accounts.permissions import require
from frontdoor.audit.actions import actor_label_for, record_change
from frontdoor.catalogue.models import ArticleRevision, KnowledgeArticle, SignpostOrganisation
from frontdoor.core.errors import Conflict, InvalidInput
from frontdoor.core.time import require_aware
from frontdoor.council.errors import UnknownCode
from frontdoor.council.queries import current_council

if TYPE_CHECKING:
    from frontdoor.accounts.models import User

TITLE_MAX = 200
SUMMARY_MAX = 500
BODY_MAX = 20_000
SCRIPT_MAX = 5_000

FIELD_LABELS = {
    "service_code": "service",
    "title": "title",
    "summary": "summary",
    "body": "article",
    "what_we_need": "what we need",
    "script": "script",
    "online_form_url": "online form link",
    "keywords": "keywords",
}


@dataclass(frozen=True)
class ArticleContent:
    """Everything an editor writes in an article."""

    service_code: str
    title: str
    summary: str
    body: str
    what_we_need: tuple[str, ...] = ()
    script: str = ""
    online_form_url: str = ""
    keywords: tuple[str, ...] = ()

    @classmethod
    def of(cls, article: KnowledgeArticle) -> ArticleContent:
        return cls(
            service_code=article.service_code,
            title=article.title,
            summary=article.summary,
            body=article.body,
            what_we_need=tuple(article.what_we_need),
            script=article.script,
            online_form_url=article.online_form_url,
            keywords=tuple(article.keywords),
        )


@dataclass(frozen=True)
class SignpostDetails:
    """How to reach another organisation and what they help with."""

    name: str
    help_with: str
    phone: str = ""
    email: str = ""
    url: str = ""
    address: str = ""
    opening_hours: str = ""
    area: str = ""
    service_codes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


# ------------------------------------------------------------------------------ articles


def create_article(
    *,
    content: ArticleContent,
    by: User | None,
    now: datetime,
    published: bool = False,
    slug: str = "",
) -> KnowledgeArticle:
    """A new article (a draft unless `published`) with its first revision."""
    _require_editor(by)
    require_aware(now)
    clean = _clean_content(content)
    slug = slug or _free_slug(clean.title)
    if KnowledgeArticle.objects.filter(slug=slug).exists():
        raise InvalidInput("slug", "taken", f"There is already an article called {slug!r}")
    with transaction.atomic():
        article = KnowledgeArticle(
            slug=slug, published=published, created_at=now, updated_at=now, updated_by=by,
        )
        _apply(article, clean)
        article.save()
        _revise(article, by=by, now=now, summary="Created" + (" and published" if published
                                                              else " as a draft"),
                changed=list(FIELD_LABELS), note="")
        record_change(actor=by, action="knowledge.article_created", object_type="article",
                      object_id=article.pk, summary=f"Created “{article.title}”",
                      data={"published": published}, at=now)
    return article


def edit_article(
    *,
    article: KnowledgeArticle,
    content: ArticleContent,
    by: User | None,
    now: datetime,
    expected_version: int,
    note: str = "",
) -> KnowledgeArticle:
    """Change an article; the revision names the fields that changed. No change, no revision."""
    _require_editor(by)
    require_aware(now)
    clean = _clean_content(content)
    with transaction.atomic():
        fresh = _lock(article, expected_version)
        before = ArticleContent.of(fresh)
        changed = [f.name for f in fields(ArticleContent)
                   if getattr(before, f.name) != getattr(clean, f.name)]
        if not changed:
            return fresh
        _apply(fresh, clean)
        fresh.version += 1
        fresh.updated_at = now
        fresh.updated_by = by
        fresh.save()
        summary = "Changed the " + _join([FIELD_LABELS[name] for name in changed])
        _revise(fresh, by=by, now=now, summary=summary, changed=changed, note=note)
        record_change(actor=by, action="knowledge.article_edited", object_type="article",
                      object_id=fresh.pk, summary=summary,
                      data={"changed": changed, "version": fresh.version}, at=now)
    return fresh


def publish_article(
    *, article: KnowledgeArticle, by: User | None, now: datetime, expected_version: int
) -> KnowledgeArticle:
    """Let agents see the article."""
    return _set_published(article, True, by=by, now=now, expected_version=expected_version)


def unpublish_article(
    *, article: KnowledgeArticle, by: User | None, now: datetime, expected_version: int
) -> KnowledgeArticle:
    """Hide the article from agents (editors still see it, as a draft)."""
    return _set_published(article, False, by=by, now=now, expected_version=expected_version)


def _set_published(
    article: KnowledgeArticle, published: bool, *, by: User | None, now: datetime,
    expected_version: int,
) -> KnowledgeArticle:
    _require_editor(by)
    require_aware(now)
    with transaction.atomic():
        fresh = _lock(article, expected_version)
        if fresh.published == published:
            return fresh
        fresh.published = published
        fresh.version += 1
        fresh.updated_at = now
        fresh.updated_by = by
        fresh.save(update_fields=["published", "version", "updated_at", "updated_by"])
        summary = "Published" if published else "Unpublished"
        _revise(fresh, by=by, now=now, summary=summary, changed=["published"], note="")
        record_change(actor=by, action=f"knowledge.article_{summary.lower()}",
                      object_type="article", object_id=fresh.pk,
                      summary=f"{summary} “{fresh.title}”", data={}, at=now)
    return fresh


# ----------------------------------------------------------------------------- signposts


def add_signpost_organisation(
    *, details: SignpostDetails, by: User | None, now: datetime, slug: str = ""
) -> SignpostOrganisation:
    """Add an organisation to the signposting directory."""
    _require_editor(by)
    require_aware(now)
    clean = _clean_signpost(details)
    slug = slug or slugify(clean.name)[:100] or "organisation"
    if SignpostOrganisation.objects.filter(slug=slug).exists():
        raise InvalidInput("name", "taken", f"{clean.name} is already in the directory")
    with transaction.atomic():
        organisation = SignpostOrganisation(slug=slug, created_at=now, updated_at=now,
                                            updated_by=by)
        _apply_signpost(organisation, clean)
        organisation.save()
        record_change(actor=by, action="knowledge.signpost_added", object_type="signpost",
                      object_id=organisation.pk, summary=f"Added {organisation.name}",
                      data=_jsonable(asdict(clean)), at=now)
    return organisation


def edit_signpost_organisation(
    *,
    organisation: SignpostOrganisation,
    details: SignpostDetails,
    by: User | None,
    now: datetime,
    expected_version: int,
) -> SignpostOrganisation:
    """Change an organisation's details (the audit entry keeps before and after)."""
    _require_editor(by)
    require_aware(now)
    clean = _clean_signpost(details)
    with transaction.atomic():
        fresh = SignpostOrganisation.objects.select_for_update().get(pk=organisation.pk)
        if fresh.version != expected_version:
            raise Conflict("Someone else changed this organisation: reload and try again")
        before = {f.name: _jsonable(getattr(fresh, f.name)) for f in fields(SignpostDetails)}
        _apply_signpost(fresh, clean)
        fresh.version += 1
        fresh.updated_at = now
        fresh.updated_by = by
        fresh.save()
        record_change(actor=by, action="knowledge.signpost_edited", object_type="signpost",
                      object_id=fresh.pk, summary=f"Changed {fresh.name}",
                      data={"before": before, "after": _jsonable(asdict(clean))}, at=now)
    return fresh


# ------------------------------------------------------------------------------- helpers


def _require_editor(by: User | None) -> None:
    if by is not None:
        require(by, "knowledge.edit")


def _lock(article: KnowledgeArticle, expected_version: int) -> KnowledgeArticle:
    fresh = KnowledgeArticle.objects.select_for_update().get(pk=article.pk)
    if fresh.version != expected_version:
        raise Conflict(
            f"Someone else changed “{fresh.title}” since you opened it: reload it and make "
            "your change again"
        )
    return fresh


def _clean_content(content: ArticleContent) -> ArticleContent:
    service_code = content.service_code.strip()
    try:
        current_council().service(service_code)
    except (UnknownCode, KeyError, LookupError):
        raise InvalidInput("service_code", "unknown", "Choose one of our services") from None
    title = _text(content.title, "title", "Enter a title", TITLE_MAX)
    summary = _text(content.summary, "summary", "Write a one-line summary", SUMMARY_MAX)
    body = _text(content.body, "body", "Write the article", BODY_MAX)
    script = (content.script or "").strip()
    if len(script) > SCRIPT_MAX:
        raise InvalidInput("script", "too_long", f"The script must be {SCRIPT_MAX} characters "
                           "or fewer")
    url = _url(content.online_form_url, "online_form_url", allow_path=True)
    return ArticleContent(
        service_code=service_code,
        title=title,
        summary=summary,
        body=_tidy_body(body),
        what_we_need=_lines(content.what_we_need),
        script=script,
        online_form_url=url,
        keywords=_keywords(content.keywords),
    )


def _clean_signpost(details: SignpostDetails) -> SignpostDetails:
    name = _text(details.name, "name", "Enter the organisation's name", 200)
    help_with = _text(details.help_with, "help_with", "Say what they help with", 2000)
    email = (details.email or "").strip()
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise InvalidInput("email", "invalid",
                           "Enter an email address in the correct format, like name@example.org")
    phone = (details.phone or "").strip()
    url = _url(details.url, "url", allow_path=False)
    if not (phone or email or url):
        raise InvalidInput("phone", "required",
                           "Give at least one way to reach them: a phone number, email or website")
    known = {service.code for service in current_council().services}
    codes = tuple(dict.fromkeys(c.strip() for c in details.service_codes if c.strip()))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise InvalidInput("service_codes", "unknown",
                           f"{', '.join(unknown)} is not one of our services")
    return SignpostDetails(
        name=name,
        help_with=help_with,
        phone=phone,
        email=email,
        url=url,
        address=(details.address or "").strip(),
        opening_hours=(details.opening_hours or "").strip()[:300],
        area=(details.area or "").strip()[:200],
        service_codes=codes,
        keywords=_keywords(details.keywords),
    )


def _apply(article: KnowledgeArticle, content: ArticleContent) -> None:
    for name, value in asdict(content).items():
        setattr(article, name, list(value) if isinstance(value, tuple) else value)
    article.search_text = search_text_of(
        content.title, content.summary, " ".join(content.keywords), content.body
    )


def _apply_signpost(organisation: SignpostOrganisation, details: SignpostDetails) -> None:
    for name, value in asdict(details).items():
        setattr(organisation, name, list(value) if isinstance(value, tuple) else value)
    organisation.search_text = search_text_of(
        details.name, " ".join(details.keywords), details.help_with, details.area
    )


def search_text_of(*parts: str) -> str:
    return "\n".join(" ".join(part.casefold().split()) for part in parts if part)


def _revise(article: KnowledgeArticle, *, by: User | None, now: datetime, summary: str,
            changed: list[str], note: str) -> ArticleRevision:
    last = article.revisions.order_by("-number").values_list("number", flat=True).first()
    snapshot = _jsonable(asdict(ArticleContent.of(article)))
    snapshot["published"] = article.published
    return ArticleRevision.objects.create(
        article=article,
        number=(last or 0) + 1,
        at=now,
        by=by,
        by_label=actor_label_for(by),
        summary=summary[:300],
        changed_fields=changed,
        note=(note or "").strip(),
        snapshot=snapshot,
    )


def _text(value: str, field: str, message: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(field, "required", message)
    if len(value) > limit:
        raise InvalidInput(field, "too_long", f"Must be {limit} characters or fewer")
    return value


def _tidy_body(body: str) -> str:
    # Windows line endings from pasted text; at most one blank line between paragraphs.
    body = body.replace("\r\n", "\n")
    return re.sub(r"\n{3,}", "\n\n", body)


def _url(value: str, field: str, *, allow_path: bool) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if allow_path and value.startswith("/") and not value.startswith("//"):
        return value
    parsed = urlparse(value)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise InvalidInput(field, "invalid", "Enter a web address starting https://"
                           + (" or a page on our site starting /" if allow_path else ""))
    return value


def _lines(values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(line.strip().lstrip("-*• ").strip() for line in values
                 if line.strip().lstrip("-*• ").strip())


def _keywords(values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    cleaned = (" ".join(v.casefold().split()) for v in values)
    return tuple(dict.fromkeys(k for k in cleaned if k))


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _free_slug(title: str) -> str:
    base = slugify(title)[:90] or "article"
    slug, n = base, 1
    while KnowledgeArticle.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
