"""Settings of the page benchmark's web server: CareerOS's own, plus a signed-in trivial view
(page_site_urls) to compare pages against. Used only by bench/page_throughput.py."""

from careeros.settings import *  # noqa: F403 - the app's settings, unchanged

ROOT_URLCONF = "page_site_urls"
