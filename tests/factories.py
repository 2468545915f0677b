"""Shared factory_boy factories. Other contexts import these; keep the names stable.

UserFactory(role="case_officer", teams={"waste-services": "leader"})
TeamMembershipFactory(user=..., team_code="waste-services", role_in_team="member")
CustomerFactory(), CustomerFactory(kind="organisation", organisation_name="Acme Ltd")
EmailAddressFactory(customer=...), PhoneNumberFactory(customer=...), AddressFactory(customer=...)

Factories write rows directly (no events, no audit entries); use the actions when a test is
about what the actions record.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import factory
from factory.django import DjangoModelFactory

from frontdoor.accounts.models import STAFF_ROLES, RoleInTeam, TeamMembership, User
from frontdoor.customers.models import (
    Address,
    Customer,
    CustomerKind,
    EmailAddress,
    PhoneKind,
    PhoneNumber,
)

# Monday 5 January 2026, 10:00 UTC: the same instant as the `now` fixture.
FIXED_NOW = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.gov.uk")
    display_name = factory.Faker("name", locale="en_GB")
    role = "agent"
    is_active = True
    mfa_required = factory.LazyAttribute(lambda o: o.role in STAFF_ROLES)

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        password = kwargs.pop("password", None)
        user = model_class(*args, **kwargs)
        # Hashing with argon2 is slow; a test that signs in passes password="...".
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        return user

    @factory.post_generation
    def teams(obj: User, create: bool, extracted: dict[str, str] | None, **kwargs: Any) -> None:
        """teams={"waste-services": "member"}: team code -> role in team."""
        if not create or not extracted:
            return
        for team_code, role_in_team in extracted.items():
            TeamMembership.objects.create(
                user=obj, team_code=team_code, role_in_team=role_in_team, since=FIXED_NOW
            )


class TeamMembershipFactory(DjangoModelFactory[TeamMembership]):
    class Meta:
        model = TeamMembership

    user = factory.SubFactory(UserFactory, role="case_officer")
    team_code = "waste-services"
    role_in_team = RoleInTeam.MEMBER
    since = FIXED_NOW


class CustomerFactory(DjangoModelFactory[Customer]):
    class Meta:
        model = Customer

    kind = CustomerKind.PERSON
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    created_at = FIXED_NOW
    updated_at = FIXED_NOW


class EmailAddressFactory(DjangoModelFactory[EmailAddress]):
    class Meta:
        model = EmailAddress

    customer = factory.SubFactory(CustomerFactory)
    address = factory.Sequence(lambda n: f"resident{n}@example.com")
    is_primary = True


class PhoneNumberFactory(DjangoModelFactory[PhoneNumber]):
    class Meta:
        model = PhoneNumber

    customer = factory.SubFactory(CustomerFactory)
    # Valid UK mobiles (07700 900xxx drama numbers are invalid in phonenumbers).
    e164 = factory.Sequence(lambda n: f"+447400{123000 + n % 877000:06d}")
    kind = PhoneKind.MOBILE
    is_primary = True


class AddressFactory(DjangoModelFactory[Address]):
    class Meta:
        model = Address

    customer = factory.SubFactory(CustomerFactory)
    line1 = factory.Sequence(lambda n: f"{n + 1} Church Street")
    town = "Cromer"
    postcode = "NR27 9EN"
    is_primary = True
