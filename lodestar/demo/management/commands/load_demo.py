"""Load the demo organization: ``manage.py load_demo [--if-empty] [--reset] [--seed N]``."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from lodestar.core.scoping import all_organizations
from lodestar.demo import content
from lodestar.demo.builder import DemoBuilder
from lodestar.orgs.models import Organization


class Command(BaseCommand):
    help = "Create the demo organization (a 150-person telematics company) with two quarters of OKRs."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Only load when the database has no organization.")
        parser.add_argument("--reset", action="store_true", help="Delete the demo organization first, then load it.")
        parser.add_argument("--seed", type=int, default=2019, help="Random seed (same seed, same demo).")

    def handle(self, *args, if_empty, reset, seed, **options):
        if if_empty and Organization.objects.exists():
            self.stdout.write("The database already has an organization; the demo was not loaded.")
            if Organization.objects.filter(slug=content.ORGANIZATION["slug"]).exists():
                self._print_login()
            return
        existing = Organization.objects.filter(slug=content.ORGANIZATION["slug"]).first()
        if existing and not reset:
            self.stdout.write(f"The demo organization '{existing.slug}' exists already; use --reset to rebuild it.")
            self._print_login()
            return
        if existing and reset:
            self._delete_demo(existing)
        started = time.perf_counter()
        organization = DemoBuilder(seed=seed).build()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo organization '{organization.name}' in {time.perf_counter() - started:.1f} s."
            )
        )
        self._print_login()

    def _print_login(self):
        self.stdout.write(f"Demo login: {content.DEMO_LOGIN} / {content.DEMO_PASSWORD}")

    @staticmethod
    @transaction.atomic
    def _delete_demo(organization):
        with all_organizations():
            user_ids = list(organization.memberships.values_list("user_id", flat=True))
            organization.delete()
            get_user_model().objects.filter(pk__in=user_ids, memberships__isnull=True).delete()
