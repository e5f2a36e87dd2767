from django.contrib import admin

from lodestar.core.admin import ReadOnlyAdmin
from lodestar.scim.models import ScimGroup, ScimToken, ScimUser


@admin.register(ScimToken)
class ScimTokenAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "organization"]
    list_filter = ["organization"]
    exclude = ["secret_hash"]


admin.site.register(ScimUser, ReadOnlyAdmin)
admin.site.register(ScimGroup, ReadOnlyAdmin)
