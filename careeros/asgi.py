"""The ASGI start-up: embedded servers for an unset DATABASE_URL/REDIS_URL, then Django."""

import os

from django.core.asgi import get_asgi_application

from careeros.embedded import export_environment

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careeros.settings")
export_environment()

application = get_asgi_application()
