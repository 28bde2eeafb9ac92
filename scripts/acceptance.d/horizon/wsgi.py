# uwsgi's entry point for scripts/acceptance horizon: Horizon's WSGI application with this folder's settings.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ["DJANGO_SETTINGS_MODULE"] = "trovej_horizon_settings"

from django.core.wsgi import get_wsgi_application  # noqa: E402 -- after the settings module is chosen

application = get_wsgi_application()
