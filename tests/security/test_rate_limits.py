"""Guessing passwords is slowed down: failed sign-ins for one address are refused after five."""

from django.urls import reverse


def test_repeated_failed_sign_ins_are_refused_with_a_message(client, cast):
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": "member@acme.test", "password": "guess"})
        assert "not correct" in response.content.decode()
    response = client.post(reverse("account_login"), {"login": "member@acme.test", "password": "guess"})
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    # Even the right password is refused while the limit holds.
    response = client.post(reverse("account_login"), {"login": "member@acme.test", "password": "correct-horse-battery"})
    assert "Too many failed login attempts" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_the_admin_sign_in_goes_through_the_rate_limited_sign_in(client, cast):
    """30 wrong passwords on /admin/login/, then the right one: the admin's own form took them all."""
    staff = cast.owner.user
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    for _ in range(30):
        client.post("/admin/login/?next=/admin/", {"username": staff.email, "password": "guess"})
    response = client.post("/admin/login/?next=/admin/", {"username": staff.email, "password": "correct-horse-battery"})
    assert not response.wsgi_request.user.is_authenticated
    # The admin's sign-in page leads to the one everybody uses, where failures are counted.
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=%2Fadmin%2F" in response["Location"]


def test_staff_signed_in_through_the_rate_limited_sign_in_reach_the_admin(client, cast):
    staff = cast.owner.user
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    response = client.post(
        reverse("account_login") + "?next=/admin/", {"login": staff.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    # Somebody signed in who is not staff is refused the admin's sign-in page, not shown a form.
    client.logout()
    client.force_login(cast.member.user)
    assert client.get("/admin/login/").status_code == 403
