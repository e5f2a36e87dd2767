"""Sign-in addresses given before e-mail verification existed were typed by an organization's
admin or the instance's operator, not by the account holder: they count as confirmed. Addresses
that people added to their own accounts under /accounts/email/ keep their (unverified) state."""

from django.db import migrations


def confirm_sign_in_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    recorded = {(user_id, email.lower()) for user_id, email in EmailAddress.objects.values_list("user_id", "email")}
    confirmed = {email.lower() for email in EmailAddress.objects.filter(verified=True).values_list("email", flat=True)}
    with_primary = set(EmailAddress.objects.filter(primary=True).values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=user_id, email=email.lower(), verified=True, primary=user_id not in with_primary)
            for user_id, email in User.objects.values_list("pk", "email").iterator()
            if (user_id, email.lower()) not in recorded and email.lower() not in confirmed
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_search_trigram_indexes"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(confirm_sign_in_addresses, migrations.RunPython.noop)]
