"""Knowledge articles: who may write them, their history, and search that ranks sensibly."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frontdoor.audit.models import AuditEntry
from frontdoor.catalogue.actions import (
    SignpostDetails,
    add_signpost_organisation,
    create_article,
    edit_article,
    edit_signpost_organisation,
    publish_article,
    unpublish_article,
)
from frontdoor.catalogue.queries import (
    article_revisions,
    articles_for_service,
    articles_visible_to,
    search_articles,
    search_signposts,
)
from frontdoor.core.errors import Conflict, Forbidden, InvalidInput
from tests.catalogue.conftest import missed_bin_content
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["agent", "case_officer", "resident"])
def test_only_leaders_managers_and_administrators_may_write_articles(council, now, role):
    with pytest.raises(Forbidden):
        create_article(content=missed_bin_content(), by=UserFactory(role=role), now=now)


@pytest.mark.parametrize("role", ["team_leader", "manager", "administrator"])
def test_editors_may_write_articles(council, now, role):
    article = create_article(content=missed_bin_content(), by=UserFactory(role=role), now=now)
    assert article.revisions.count() == 1


def test_every_edit_is_a_revision_saying_who_when_and_what_changed(
    council, editor, missed_bin_article, now
):
    later = now + timedelta(hours=2)
    other = UserFactory(role="manager", display_name="Mo Manager")
    edited = edit_article(
        article=missed_bin_article,
        content=missed_bin_content(script="Sorry about that. The crew will come back.",
                                   title="Missed bin collections"),
        by=other, now=later, expected_version=missed_bin_article.version,
        note="Crews now return within 2 working days",
    )
    assert edited.title == "Missed bin collections" and edited.version == 2
    newest, first = article_revisions(edited)
    assert (newest.number, newest.by, newest.at) == (2, other, later)
    assert newest.changed_fields == ["title", "script"]
    assert newest.summary == "Changed the title and script"
    assert newest.note == "Crews now return within 2 working days"
    assert newest.snapshot["script"] == "Sorry about that. The crew will come back."
    assert first.snapshot["title"] == "Report a missed bin collection"
    assert AuditEntry.objects.filter(action="knowledge.article_edited").count() == 1


def test_saving_without_changes_writes_no_revision(council, editor, missed_bin_article, now):
    edit_article(article=missed_bin_article, content=missed_bin_content(), by=editor, now=now,
                 expected_version=1)
    assert missed_bin_article.revisions.count() == 1


def test_an_edit_made_on_a_stale_copy_is_refused(council, editor, missed_bin_article, now):
    edit_article(article=missed_bin_article, content=missed_bin_content(title="New"),
                 by=editor, now=now, expected_version=1)
    with pytest.raises(Conflict):
        edit_article(article=missed_bin_article, content=missed_bin_content(title="Other"),
                     by=editor, now=now, expected_version=1)


def test_an_article_needs_a_known_service_and_a_title(council, editor, now):
    with pytest.raises(InvalidInput) as error:
        create_article(content=missed_bin_content(service_code="wheelie"), by=editor, now=now)
    assert error.value.field == "service_code"
    with pytest.raises(InvalidInput) as error:
        create_article(content=missed_bin_content(title="  "), by=editor, now=now)
    assert error.value.field == "title"
    with pytest.raises(InvalidInput) as error:
        create_article(content=missed_bin_content(online_form_url="javascript:alert(1)"),
                       by=editor, now=now)
    assert error.value.field == "online_form_url"


def test_agents_never_see_drafts_but_editors_do(council, editor, now):
    draft = create_article(content=missed_bin_content(), by=editor, now=now)
    agent = UserFactory(role="agent")
    assert draft not in articles_visible_to(agent)
    assert draft in articles_visible_to(editor)
    assert articles_for_service("missed-bin") == []
    publish_article(article=draft, by=editor, now=now, expected_version=1)
    assert [a.pk for a in articles_for_service("missed-bin")] == [draft.pk]
    unpublish_article(article=draft, by=editor, now=now, expected_version=2)
    assert articles_for_service("missed-bin") == []
    assert [r.summary for r in article_revisions(draft)][:2] == ["Unpublished", "Published"]


def test_search_puts_title_matches_above_body_matches(council, editor, now):
    body_only = create_article(
        content=missed_bin_content(title="Bulky waste", service_code="bulky-waste",
                                   summary="Large items.", keywords=(),
                                   body="Not for a missed bin: use the other form."),
        by=editor, now=now, published=True)
    titled = create_article(content=missed_bin_content(), by=editor, now=now, published=True)
    create_article(content=missed_bin_content(title="Council Tax", service_code="council-tax",
                                              summary="Pay it.", body="Direct Debit.",
                                              keywords=("pay",)),
                   by=editor, now=now, published=True)
    found = search_articles("Missed BIN")
    assert [a.pk for a in found] == [titled.pk, body_only.pk]
    assert [a.pk for a in search_articles("missed bin", service_code="bulky-waste")] == [
        body_only.pk]
    assert search_articles("the of and") == []


def test_search_leaves_out_drafts_unless_asked(council, editor, now):
    draft = create_article(content=missed_bin_content(), by=editor, now=now)
    assert search_articles("missed") == []
    assert search_articles("missed", include_drafts=True) == [draft]


def test_signposting_directory_search_and_edit(council, editor, now):
    debt = add_signpost_organisation(
        details=SignpostDetails(name="StepChange Debt Charity", help_with="Free debt advice.",
                                phone="0800 138 1111", url="https://www.stepchange.org",
                                keywords=("debt", "arrears")),
        by=editor, now=now)
    add_signpost_organisation(
        details=SignpostDetails(name="Floodline", help_with="Flood warnings.", phone="0345",
                                keywords=("flood",)),
        by=editor, now=now)
    assert search_signposts("rent arrears") == [debt]
    assert len(search_signposts("")) == 2
    edited = edit_signpost_organisation(
        organisation=debt, details=SignpostDetails(name="StepChange", help_with="Debt advice.",
                                                   phone="0800 138 1111"),
        by=editor, now=now, expected_version=1)
    assert edited.name == "StepChange" and edited.version == 2
    with pytest.raises(InvalidInput) as error:
        add_signpost_organisation(details=SignpostDetails(name="Nobody", help_with="Nothing"),
                                  by=editor, now=now)
    assert error.value.field == "phone"
    with pytest.raises(Forbidden):
        add_signpost_organisation(details=SignpostDetails(name="X", help_with="Y", phone="1"),
                                  by=UserFactory(role="agent"), now=now)
