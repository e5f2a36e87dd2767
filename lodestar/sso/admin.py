from django.contrib import admin

from lodestar.core.admin import ReadOnlyAdmin
from lodestar.sso.models import EmailDomain, IdentityProvider


@admin.register(IdentityProvider)
class IdentityProviderAdmin(ReadOnlyAdmin):
    list_display = ["organization"]
    exclude = ["client_secret_encrypted"]


admin.site.register(EmailDomain, ReadOnlyAdmin)
