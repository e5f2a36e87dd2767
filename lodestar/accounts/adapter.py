from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """People join an organization by invitation; an instance may also let anyone sign up (with a
    verified address) and start an organization of their own (LODESTAR_OPEN_SIGNUP)."""

    def is_open_for_signup(self, request):
        return settings.LODESTAR_OPEN_SIGNUP
