"""Generate a large synthetic organization: ``manage.py generate_org --people 10000 --quarters 8 --seed 1``."""

import resource
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from lodestar.core.scoping import organization_scope
from lodestar.demo.bulk import delete_organization_rows
from lodestar.demo.generator import PASSWORD, OrganizationGenerator
from lodestar.okrs.rollup import recompute_organization
from lodestar.orgs.models import Organization


class Command(BaseCommand):
    help = "Generate a large synthetic organization for benchmarks (deterministic for a seed)."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--quarters", type=int, default=8)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--slug", default="", help="Default: gen-<people>.")
        parser.add_argument("--replace", action="store_true", help="Delete an organization with that slug first.")
        parser.add_argument("--verify", action="store_true", help="Recompute every cache from scratch and compare.")

    def handle(self, *args, people, quarters, seed, slug, replace, verify, **options):
        if people < 10 or quarters < 1:
            raise CommandError("Generate at least 10 people and 1 quarter.")
        slug = slug or f"gen-{people}"
        existing = Organization.objects.filter(slug=slug).first()
        if existing and not replace:
            raise CommandError(f"An organization '{slug}' exists; use --replace to build it again.")
        if existing:
            started = time.perf_counter()
            with transaction.atomic():
                delete_organization_rows(existing)
            self.stdout.write(f"Deleted the old '{slug}' in {time.perf_counter() - started:.1f} s.")
        started = time.perf_counter()
        generator = OrganizationGenerator(people=people, quarters=quarters, seed=seed, slug=slug)
        organization = generator.run()
        elapsed = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics, so the first queries get good plans
        for phase, seconds in generator.timings.items():
            self.stdout.write(f"  {phase:<26} {seconds:6.1f} s")
        self.stdout.write(", ".join(f"{count:,} {name}" for name, count in generator.counts.items()))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            self.style.SUCCESS(f"Generated '{organization.slug}' in {elapsed:.1f} s (peak memory {peak_mb:.0f} MB).")
        )
        self.stdout.write(f"Sign in as person0@{slug}.example (owner) or person<N>@{slug}.example / {PASSWORD}")
        if verify:
            started = time.perf_counter()
            with organization_scope(organization):
                stale = recompute_organization(organization.pk, write=False)
            self.stdout.write(f"Recomputed from scratch in {time.perf_counter() - started:.1f} s: {stale} differ.")
            if any(stale.values()):
                raise CommandError("Cached progress differs from a recomputation.")
