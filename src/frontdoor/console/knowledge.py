"""Knowledge base and signposting directory pages.

Everyone with `knowledge.view` reads published articles and the directory; the roles with
`knowledge.edit` (team leaders, managers, administrators) also see drafts, write and edit
articles, publish and unpublish them, and read each article's revision history.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from frontdoor.accounts.permissions import can
from frontdoor.catalogue.actions import (
    ArticleContent,
    create_article,
    edit_article,
    publish_article,
    unpublish_article,
)
from frontdoor.catalogue.models import KnowledgeArticle
from frontdoor.catalogue.queries import (
    article_counts_by_service,
    article_revisions,
    articles_for_service,
    get_article,
    search_articles,
    search_signposts,
)
from frontdoor.console.pages import council_or_none, render_staff_page, staff_only
from frontdoor.core.errors import Conflict, InvalidInput, NotFound

MAX_QUERY = 100
ARTICLE_FIELDS = ("service_code", "title", "summary", "body", "what_we_need", "script",
                  "online_form_url", "keywords", "note")


@require_safe
@staff_only
def knowledge(request: HttpRequest) -> HttpResponse:
    """Search, or browse by service."""
    _require(request, "knowledge.view")
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    service_code = request.GET.get("service", "").strip()
    editor = can(request.user, "knowledge.edit")
    config = council_or_none()
    services = {s.code: s.name.get("en") for s in (config.services if config else [])}
    if service_code not in services:
        service_code = ""
    results: list[KnowledgeArticle] | None = None
    counts: dict[str, int] = {}
    if query:
        results = search_articles(query, service_code or None, include_drafts=editor)
    elif service_code:
        results = articles_for_service(service_code, include_drafts=editor)
    else:
        counts = article_counts_by_service(include_drafts=editor)
    browse = sorted(((code, name, counts.get(code, 0)) for code, name in services.items()),
                    key=lambda row: row[1].casefold())
    return render_staff_page(
        request,
        "console/knowledge/index.html",
        title="Knowledge base",
        nav="knowledge",
        context={"query": query, "service_code": service_code, "services": services,
                 "results": results, "browse": browse, "editor": editor},
    )


@require_safe
@staff_only
def knowledge_article(request: HttpRequest, article_id: int) -> HttpResponse:
    _require(request, "knowledge.view")
    article = _article(request, article_id)
    config = council_or_none()
    service_name = _service_name(article.service_code)
    return render_staff_page(
        request,
        "console/knowledge/article.html",
        title=article.title,
        nav="knowledge",
        context={
            "article": article,
            "paragraphs": [p.strip() for p in article.body.split("\n\n") if p.strip()],
            "service_name": service_name,
            "editor": can(request.user, "knowledge.edit"),
            "saved": request.GET.get("saved") == "1",
            "council": config,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def knowledge_article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    _require(request, "knowledge.edit")
    article = _article(request, article_id)
    values = _values_of(article)
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = _read_article(request.POST)
        try:
            edit_article(article=article, content=_content(values), by=request.user,  # type: ignore[arg-type]
                         now=timezone.now(), expected_version=_version(request.POST),
                         note=values["note"])
        except InvalidInput as error:
            errors[error.field if error.field in ARTICLE_FIELDS else "title"] = error.message
        except Conflict as error:
            errors["title"] = error.message
        else:
            return _saved(article.pk)
    return _render_form(request, title=f"Edit: {article.title}", values=values, errors=errors,
                        action=reverse("console:knowledge-edit", args=[article.pk]),
                        article=article)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def knowledge_article_new(request: HttpRequest) -> HttpResponse:
    _require(request, "knowledge.edit")
    values = {name: "" for name in ARTICLE_FIELDS}
    values["service_code"] = request.GET.get("service", "")
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = _read_article(request.POST)
        try:
            article = create_article(content=_content(values), by=request.user,  # type: ignore[arg-type]
                                     now=timezone.now(),
                                     published=request.POST.get("publish") == "yes")
        except InvalidInput as error:
            errors[error.field if error.field in ARTICLE_FIELDS else "title"] = error.message
        else:
            return _saved(article.pk)
    return _render_form(request, title="Write a knowledge article", values=values,
                        errors=errors, action=reverse("console:knowledge-new"), article=None)


@require_POST
@staff_only
def knowledge_article_publish(request: HttpRequest, article_id: int) -> HttpResponse:
    _require(request, "knowledge.edit")
    article = _article(request, article_id)
    change = publish_article if request.POST.get("publish") == "yes" else unpublish_article
    try:
        change(article=article, by=request.user, now=timezone.now(),  # type: ignore[arg-type]
               expected_version=_version(request.POST))
    except Conflict as error:
        raise PermissionDenied(error.message) from None
    return _saved(article.pk)


@require_safe
@staff_only
def knowledge_article_history(request: HttpRequest, article_id: int) -> HttpResponse:
    _require(request, "knowledge.edit")
    article = _article(request, article_id)
    return render_staff_page(
        request,
        "console/knowledge/history.html",
        title=f"History: {article.title}",
        nav="knowledge",
        context={"article": article, "revisions": article_revisions(article)},
    )


@require_safe
@staff_only
def signposting(request: HttpRequest) -> HttpResponse:
    _require(request, "knowledge.view")
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    return render_staff_page(
        request,
        "console/signposting/index.html",
        title="Signposting directory",
        nav="signposting",
        context={"query": query, "organisations": search_signposts(query)},
    )


# ------------------------------------------------------------------------------ helpers


def _require(request: HttpRequest, action: str) -> None:
    if not can(request.user, action):
        raise PermissionDenied("Your role cannot do this")


def _article(request: HttpRequest, article_id: int) -> KnowledgeArticle:
    try:
        return get_article(user=request.user, article_id=article_id)
    except NotFound:
        raise Http404("No such article") from None


def _service_name(code: str) -> str:
    config = council_or_none()
    if config is None:
        return code
    for service in config.services:
        if service.code == code:
            return str(service.name.get("en"))
    return f"{code} (no longer offered)"


def _saved(article_id: int) -> HttpResponse:
    return HttpResponseRedirect(
        reverse("console:knowledge-article", args=[article_id]) + "?saved=1", status=303
    )


def _version(data: QueryDict) -> int:
    text = data.get("version", "")
    return int(text) if text.isdigit() else -1


def _values_of(article: KnowledgeArticle) -> dict[str, str]:
    return {
        "service_code": article.service_code,
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "what_we_need": "\n".join(article.what_we_need),
        "script": article.script,
        "online_form_url": article.online_form_url,
        "keywords": ", ".join(article.keywords),
        "note": "",
    }


def _read_article(data: QueryDict) -> dict[str, str]:
    return {name: data.get(name, "") for name in ARTICLE_FIELDS}


def _content(values: dict[str, str]) -> ArticleContent:
    return ArticleContent(
        service_code=values["service_code"],
        title=values["title"],
        summary=values["summary"],
        body=values["body"],
        what_we_need=tuple(values["what_we_need"].splitlines()),
        script=values["script"],
        online_form_url=values["online_form_url"],
        keywords=tuple(values["keywords"].split(",")),
    )


def _render_form(request: HttpRequest, *, title: str, values: dict[str, str],
                 errors: dict[str, str], action: str,
                 article: KnowledgeArticle | None) -> HttpResponse:
    config = council_or_none()
    services = sorted(((s.code, s.name.get("en")) for s in (config.services if config else [])),
                      key=lambda pair: pair[1].casefold())
    context: dict[str, Any] = {
        "values": values,
        "field_errors": errors,
        "errors": [{"text": text, "href": f"#{name}"} for name, text in errors.items()],
        "action": action,
        "article": article,
        "services": services,
    }
    return render_staff_page(request, "console/knowledge/edit.html", title=title,
                             nav="knowledge", context=context, has_errors=bool(errors))
