"""``lodestar setup_link``: the first-run setup address while the instance has no organization but
the demo (what `make run` prints)."""

from django.core.management.base import BaseCommand

from lodestar.onboarding.setup import setup_url


class Command(BaseCommand):
    help = "Print the first-run setup link (while no real organization exists)."

    def handle(self, *args, **options):
        url = setup_url()
        if url is None:
            return  # an instance with an organization: instance administrators start more in the switcher
        self.stdout.write("To start your own organization instead of the demo, open the first-run setup:")
        self.stdout.write(f"  {url}")
        self.stdout.write('or run: lodestar create_organization --name "…" --owner-email you@example.com')
