from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """People join an organization by invitation; there is no open sign-up."""

    def is_open_for_signup(self, request):
        return False
