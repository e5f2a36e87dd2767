from types import SimpleNamespace

from django.urls import reverse

# Every view that accepts POST: how to reach it, a valid post (data), every form field with a valid
# value (fields, for the hostile-input test, posted as hostile_role), and the answer per role (the
# brief's rules: 302 done, 403 seen but not allowed, 404 another organization). A POST view missing
# here fails test_every_post_view_is_in_the_role_table.
POST_VIEWS = {
    "okrs:check_in": SimpleNamespace(
        url=lambda world: reverse(
            "okrs:check_in", kwargs={"org_slug": world.cast.acme.slug, "key_result_id": world.key_result.pk}
        ),
        data=lambda world: {f"kr{world.key_result.pk}-value": "7", f"kr{world.key_result.pk}-status": "on_track"},
        fields=lambda world: {
            f"kr{world.key_result.pk}-value": "7",
            f"kr{world.key_result.pk}-status": "on_track",
            f"kr{world.key_result.pk}-confidence": "",
            f"kr{world.key_result.pk}-comment": "",
        },
        hostile_role="member",
        expect={
            "owner": 302,
            "admin": 302,
            "lead": 302,
            "member": 302,
            "sales": 403,
            "viewer": 403,
            "beta_member": 404,
        },
    ),
}
