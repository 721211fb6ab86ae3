"""The WSGI start-up (gunicorn careeros.wsgi): embedded servers for an unset
DATABASE_URL/REDIS_URL, then Django."""

import os

from django.core.wsgi import get_wsgi_application

from careeros.embedded import export_environment

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careeros.settings")
export_environment()

application = get_wsgi_application()
