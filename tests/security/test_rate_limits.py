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
