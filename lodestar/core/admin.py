"""The Django admin is a read-only window on organization data.

Platform operators may list, search, filter and view every organization's rows (the middleware
turns tenant scoping off for the admin), but never add, change or delete them: every write of
organization data goes through a service, which checks permissions, rolls progress up along the
alignment, records history and publishes events; the admin calls none of them. An admin that
writes must save through a service (and say so), otherwise it builds on these classes.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyMixin:
    """No add, change or delete permission, whoever asks (superusers included); viewing stays."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class ReadOnlyHistoryAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """History can be read, never reverted: simple_history saves a POSTed historical version on
    the view permission alone, so that form refuses every write."""

    def has_change_history_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # The form of a historical version is built from these: every field is shown, none is a
        # widget (a choice of all organizations' rows).
        opts = self.model._meta
        return [field.name for field in [*opts.concrete_fields, *opts.many_to_many] if field.editable]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
