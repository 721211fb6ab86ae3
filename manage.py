#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

Starts the embedded servers for an unset DATABASE_URL/REDIS_URL first, so
``manage.py createsuperuser`` (or any command) works on a machine with nothing else.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careeros.settings")
    from django.core.management import execute_from_command_line

    from careeros.embedded import export_environment

    export_environment()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
