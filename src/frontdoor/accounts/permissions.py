"""The permission matrix: which roles may do which action. docs/permissions.md is generated from it.

Roles say what a user may do; team membership says where. Object visibility (what a user may
see at all) is a query in each domain app (`cases_visible_to(user)`): an object outside it is
"not found" (404). An action on a visible object that the role may not do is Forbidden (403).
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from frontdoor.accounts.models import Role
from frontdoor.core.errors import Forbidden

AGENT = Role.AGENT.value
CASE_OFFICER = Role.CASE_OFFICER.value
TEAM_LEADER = Role.TEAM_LEADER.value
MANAGER = Role.MANAGER.value
ADMINISTRATOR = Role.ADMINISTRATOR.value
RESIDENT = Role.RESIDENT.value
API_CLIENT = Role.API_CLIENT.value

_FRONT_AND_BACK = frozenset({AGENT, CASE_OFFICER, TEAM_LEADER, MANAGER})
_CASEWORK = frozenset({CASE_OFFICER, TEAM_LEADER, MANAGER})
_LEADERSHIP = frozenset({TEAM_LEADER, MANAGER})

# ACTION -> the roles that may do it. Administrators configure the council and manage users;
# they do not see customers' personal data unless they also hold a service role account.
PERMISSIONS: dict[str, frozenset[str]] = {
    # customers (single customer view: every front- and back-office role)
    "customer.view": _FRONT_AND_BACK,
    "customer.create": _FRONT_AND_BACK,
    "customer.update": _FRONT_AND_BACK,
    "customer.record_consent": _FRONT_AND_BACK,
    "customer.mark_warning": _LEADERSHIP,
    "customer.merge": _LEADERSHIP,
    "customer.unmerge": _LEADERSHIP,
    "customer.erase": frozenset({MANAGER}),
    # contacts
    "contact.log": _FRONT_AND_BACK,
    # cases: agents open and hand off cases but do not work team queues
    "case.view": _FRONT_AND_BACK,
    "case.create": _FRONT_AND_BACK,
    "case.hand_off": _FRONT_AND_BACK,
    "case.add_internal_note": _FRONT_AND_BACK,
    "case.assign": _CASEWORK,
    "case.update_status": _CASEWORK,
    "case.pause_clock": _CASEWORK,
    "case.extend_deadline": _CASEWORK,
    "case.message_customer": _CASEWORK,
    "case.resolve": _CASEWORK,
    "case.close": _CASEWORK,
    "case.transfer": _CASEWORK,
    "case.reassign_any": _LEADERSHIP,
    "case.reopen": _LEADERSHIP,
    "queue.view_team": _CASEWORK,
    # cases changed from outside the console: a partner system on cases its key can see, a
    # resident on cases made through or linked to their My Account (cases.actors.Actor)
    "case.update_status_via_api": frozenset({API_CLIENT}),
    "case.add_message_via_api": frozenset({API_CLIENT}),
    "case.add_information": frozenset({RESIDENT}),
    "case.reopen_own_request": frozenset({RESIDENT}),
    # knowledge and insight
    "knowledge.view": _FRONT_AND_BACK | {ADMINISTRATOR},
    "knowledge.edit": _LEADERSHIP | {ADMINISTRATOR},
    "insight.view": _LEADERSHIP | {ADMINISTRATOR},
    # running the system
    "council.configure": frozenset({ADMINISTRATOR}),
    "users.manage": frozenset({ADMINISTRATOR}),
    "audit.view": frozenset({MANAGER, ADMINISTRATOR}),
    # outside the staff console
    "portal.use": frozenset({RESIDENT}),
    "api.use": frozenset({API_CLIENT}),
}

ALL_ROLES: tuple[str, ...] = tuple(Role.values)


def roles_for(action: str) -> frozenset[str]:
    """The roles that may do `action`; an unknown action is a bug, so it raises KeyError."""
    try:
        return PERMISSIONS[action]
    except KeyError:
        raise KeyError(f"unknown action {action!r}: add it to accounts.permissions") from None


def can(user: AbstractBaseUser | AnonymousUser | None, action: str) -> bool:
    """Whether `user` (active, signed in) holds a role that may do `action`."""
    allowed = roles_for(action)
    if user is None or not user.is_authenticated or not getattr(user, "is_active", False):
        return False
    return getattr(user, "role", None) in allowed


def require(user: AbstractBaseUser | AnonymousUser | None, action: str) -> None:
    """Raise Forbidden unless `user` may do `action`."""
    if not can(user, action):
        role = getattr(user, "role", None) or "anonymous"
        raise Forbidden(f"Your role ({role}) does not allow {action}", field=None, code="forbidden")


def permission_table_markdown() -> str:
    """The role x action matrix as a Markdown table (docs/permissions.md embeds it)."""
    header = "| action | " + " | ".join(ALL_ROLES) + " |"
    rule = "|---|" + "---|" * len(ALL_ROLES)
    rows = [
        f"| `{action}` | " + " | ".join("yes" if r in roles else "" for r in ALL_ROLES) + " |"
        for action, roles in PERMISSIONS.items()
    ]
    return "\n".join([header, rule, *rows])
