"""Lodestar's WSGI application as `make bench` serves it: the production app plus the lean
reference page at /<org>/bench/reference/ (bench/urls.py), which production never has."""

import os

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lodestar.settings")
django.setup(set_prefix=False)
settings.ROOT_URLCONF = "bench.urls"
application = get_wsgi_application()
