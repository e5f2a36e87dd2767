"""Importing people from a spreadsheet (admins): upload, preview every row, apply, send the
invitations later; the template to fill in."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lodestar.core.forms import add_service_errors
from lodestar.core.responses import denied
from lodestar.onboarding.forms import ApplyPeopleImportForm, PeopleImportForm
from lodestar.onboarding.models import PeopleImport
from lodestar.onboarding.people_import import presenting, services, template
from lodestar.onboarding.people_import.planning import OUTCOMES
from lodestar.onboarding.people_import.reading import MAX_BYTES


def _refused(request):
    return denied(request, _("Only admins can import people."))


@require_http_methods(["GET", "POST"])
def upload(request, org_slug):
    actor = request.membership
    if not actor.is_admin:
        return _refused(request)
    posted = request.method == "POST"
    form = PeopleImportForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            if uploaded.size > MAX_BYTES:
                raise ValidationError(
                    {"file": [_("The file is larger than %(limit)d MB: split it.") % {"limit": MAX_BYTES // 2**20}]}
                )
            people_import = services.preview_people_import(
                actor=actor,
                file_name=uploaded.name,
                data=uploaded.read(MAX_BYTES + 1),
                send_invitations=form.cleaned_data["send_invitations"],
                deactivate_missing=form.cleaned_data["deactivate_missing"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("onboarding:people_import_preview", org_slug=org_slug, import_id=people_import.pk)
    context = {"form": form, "recent": presenting.recent_imports(actor)}
    return render(request, "onboarding/import.html", context, status=422 if request.method == "POST" else 200)


@require_GET
def preview(request, org_slug, import_id):
    actor = request.membership
    people_import = presenting.import_of(actor, import_id)  # another organization's: 404 for anyone
    if not actor.is_admin:
        return _refused(request)
    form = ApplyPeopleImportForm(
        initial={
            "send_invitations": people_import.send_invitations,
            "deactivate_missing": people_import.deactivate_missing,
        }
    )
    return _preview_page(request, people_import, form)


def _preview_page(request, people_import: PeopleImport, form, status: int = 200):
    show = request.GET.get("show", "")
    page = presenting.preview_rows(people_import, show=show, page=request.GET.get("page", 1))
    preview = people_import.preview
    context = {
        "people_import": people_import,
        "summary": preview.get("summary", {}),
        "missing": preview.get("missing", []),
        "new_groups": preview.get("new_groups", []),
        "page": page,
        "show": show if show in OUTCOMES else "",
        "outcomes": presenting.outcome_labels(),
        "form": form,
        "unsent": (
            services.unsent_invitations(people_import).count()
            if people_import.state == PeopleImport.State.APPLIED
            else 0
        ),
    }
    return render(request, "onboarding/import_preview.html", context, status=status)


@require_POST
def apply(request, org_slug, import_id):
    actor = request.membership
    people_import = presenting.import_of(actor, import_id)  # another organization's: 404 for anyone
    if not actor.is_admin:
        return _refused(request)
    form = ApplyPeopleImportForm(request.POST)
    form.is_valid()  # three checkboxes: always valid
    try:
        outcome = services.apply_people_import(
            actor=actor,
            people_import=people_import,
            send_invitations=form.cleaned_data["send_invitations"],
            deactivate_missing=form.cleaned_data["deactivate_missing"],
            skip_errors=form.cleaned_data["skip_errors"],
        )
    except ValidationError as error:
        people_import.refresh_from_db()
        if people_import.state == PeopleImport.State.APPLIED:  # a second click on "Apply"
            messages.info(request, _("This file has been imported already."))
            return redirect("onboarding:people_import_preview", org_slug=org_slug, import_id=people_import.pk)
        add_service_errors(form, error)
        return _preview_page(request, people_import, form, status=422)
    if not outcome.applied:
        messages.warning(
            request,
            _("People or groups changed since the preview: nothing was imported. Check the new preview and apply it."),
        )
        return redirect("onboarding:people_import_preview", org_slug=org_slug, import_id=people_import.pk)
    messages.success(request, _announcement(outcome.result))
    return redirect("directory:people", org_slug=org_slug)


def _announcement(result: dict) -> str:
    text = _(
        "Imported the file: %(new)d new, %(invited)d invited, %(changed)d changed, %(groups)d new groups, "
        "%(deactivated)d deactivated."
    ) % {key: result.get(key, 0) for key in ("new", "invited", "changed", "groups", "deactivated")}
    if result.get("skipped"):
        count = result["skipped"]
        text += " " + ngettext(
            "%(count)d row with errors was skipped.", "%(count)d rows with errors were skipped.", count
        ) % {"count": count}
    invitations = len(result.get("invitations", []))
    if result.get("sent"):
        text += " " + _sent(result["sent"])
    elif invitations:
        text += " " + ngettext(
            "%(count)d invitation waits to be sent: send it from Import people.",
            "%(count)d invitations wait to be sent: send them from Import people.",
            invitations,
        ) % {"count": invitations}
    return text


def _sent(count: int) -> str:
    return ngettext(
        "%(count)d invitation e-mail is on its way.", "%(count)d invitation e-mails are on their way.", count
    ) % {"count": count}


@require_POST
def send(request, org_slug, import_id):
    actor = request.membership
    people_import = presenting.import_of(actor, import_id)  # another organization's: 404 for anyone
    if not actor.is_admin:
        return _refused(request)
    count = services.send_import_invitations(actor=actor, people_import=people_import)
    if count:
        messages.success(request, _sent(count))
    else:
        messages.info(request, _("No invitation of this import waits to be sent."))
    return redirect("onboarding:people_import", org_slug=org_slug)


@require_GET
def template_csv(request, org_slug):
    if not request.membership.is_admin:
        return _refused(request)
    return _download(template.template_csv(get_language()), "text/csv; charset=utf-8", "csv")


@require_GET
def template_xlsx(request, org_slug):
    if not request.membership.is_admin:
        return _refused(request)
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(template.template_xlsx(get_language()), content_type, "xlsx")


def _download(content: bytes, content_type: str, extension: str) -> HttpResponse:
    name = "lodestar-personen" if get_language().startswith("de") else "lodestar-people"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response
