"""The pages of a brand-new organization say what to do next: admins get the one action that fills
the page, members learn whom to ask."""

import pytest

from lodestar.orgs.models import Role
from lodestar.strategy import services as strategy
from tests.conftest import add_person, make_organization, signed_in


@pytest.fixture
def new(db):
    """A new organization: its owner, a member, and nothing else."""
    _organization, owner = make_organization("Nova", "nova", "owner@nova.test")
    member = add_person(owner, "member@nova.test", "Max Member")
    return owner, member


def body(client, membership, path) -> str:
    response = signed_in(client, membership).get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


ASK_THE_OWNER = 'Ask your admin: <a href="/nova/people/{pk}/">Nova Owner</a>.'

# page: (what an admin is offered: link and label, what a member reads)
EMPTY_PAGES = {
    "/nova/": (("/nova/timeframes/new/", "Create the first timeframe"), "your admins have not opened one yet"),
    "/nova/company/": (("/nova/timeframes/new/", "Create the first timeframe"), "your admins have not opened one yet"),
    "/nova/company/unaligned/": (
        ("/nova/timeframes/new/", "Create the first timeframe"),
        "your admins have not opened one yet",
    ),
    "/nova/map/": (("/nova/timeframes/new/", "Create the first timeframe"), "your admins have not opened one yet"),
    "/nova/groups/": (("/nova/groups/new/", "Create the first group"), "your admins have not set them up yet"),
    "/nova/strategy/": (
        ("/nova/strategy/edit/", "Write the vision and mission"),
        "your admins have not written them yet",
    ),
}


@pytest.mark.parametrize("path", list(EMPTY_PAGES))
def test_an_admin_is_offered_the_action_that_fills_an_empty_page(client, new, path):
    owner, _member = new
    (url, label), _member_text = EMPTY_PAGES[path]
    assert f'<a class="button button-primary" href="{url}">{label}</a>' in body(client, owner, path)


@pytest.mark.parametrize("path", list(EMPTY_PAGES))
def test_a_member_learns_whom_to_ask(client, new, path):
    owner, member = new
    (_url, label), member_text = EMPTY_PAGES[path]
    page = body(client, member, path)
    assert member_text in page
    assert ASK_THE_OWNER.format(pk=owner.pk) in page
    assert label not in page


def test_members_are_pointed_at_owners_first_and_a_few_admins_at_most(client, new):
    owner, member = new
    for number in range(4):
        add_person(owner, f"admin{number}@nova.test", f"Admin {number}", Role.ADMIN)
    page = body(client, member, "/nova/groups/")
    assert "Ask one of your admins: " in page
    assert page.index("Nova Owner") < page.index("Admin 0") < page.index("Admin 1")
    assert "Admin 2" not in page


def test_an_admin_is_offered_the_first_pillar_of_the_year_shown(client, new):
    owner, _member = new
    page = body(client, owner, "/nova/strategy/?year=2031")
    assert 'href="/nova/strategy/pillars/new/?year=2031">Add the first pillar</a>' in page


def test_a_member_sees_the_strategys_vision_and_is_told_whom_to_ask_about_pillars(client, new):
    owner, member = new
    strategy.update_strategy(actor=owner, vision="Every machine connected.", mission="")
    page = body(client, member, "/nova/strategy/")
    assert "Every machine connected." in page and "No vision or mission yet" not in page
    assert ASK_THE_OWNER.format(pk=owner.pk) in page  # under "No strategic pillars"
