import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lodestar.settings")
application = get_wsgi_application()

from lodestar.onboarding.setup import announce  # noqa: E402  (needs the settings above)

announce(logging.getLogger("lodestar"))
