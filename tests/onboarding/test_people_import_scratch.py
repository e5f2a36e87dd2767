from lodestar.onboarding.people_import import services
from lodestar.onboarding.models import Invitation
from lodestar.orgs.models import Membership, Group, GroupMembership


def test_scratch(cast):
    data = (
        "Name;E-Mail;Gruppe;Rolle;Vorgesetzte(r);leitet;Position;Sprache;Zeitzone;OKR-Ambassador\n"
        "Jürgen Müller;juergen@acme.test;Engineering / Platform;Admin;lead@acme.test;Engineering / Platform;CTO;Deutsch;Europe/Berlin;ja\n"
        "Eva;eva@acme.test;Engineering / Platform;Mitglied;juergen@acme.test;;;;;\n"
        "Max;member@acme.test;Sales;;;;Dev;;;\n"
        "Bea;member@beta.test;Sales;;;;;;;\n"
    ).encode("cp1252")
    imp = services.preview_people_import(actor=cast.admin, file_name="p.csv", data=data)
    import json

    print(json.dumps(imp.preview, indent=1, ensure_ascii=False))
    out = services.apply_people_import(
        actor=cast.admin, people_import=imp, send_invitations=True, deactivate_missing=False
    )
    print(out.result)
    assert out.applied
    print(
        list(
            Membership.objects.filter(organization=cast.acme).values_list(
                "user__email", "role", "manager__user__email", "job_title"
            )
        )
    )
    print(list(Group.objects.filter(organization=cast.acme).values_list("name", "slug", "parent__name")))
    print(list(Invitation.objects.values_list("email", "membership_id", "group_ids")))
    imp2 = services.preview_people_import(actor=cast.admin, file_name="p.csv", data=data)
    print(imp2.preview["summary"])
    print([(r["row"], r["outcome"], r["changes"], r["notes"]) for r in imp2.preview["rows"]])
