# Horizon's settings for scripts/acceptance horizon: Debian's openstack-dashboard as installed (its
# local_settings.py and local_settings.d are read first), pointed at the acceptance Keystone. Nothing under
# /etc is changed, so a Horizon the machine already serves keeps its own configuration.
import os

from openstack_dashboard.settings import *  # noqa: F401,F403 -- Horizon's settings module, then our overrides

OPENSTACK_KEYSTONE_URL = os.environ["TROVEJ_HORIZON_KEYSTONE_URL"]
OPENSTACK_KEYSTONE_DEFAULT_ROLE = "member"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DEBUG = False
# No Neutron on the local back end: Horizon 23's Overview asks Neutron for its quota extension whenever network
# quotas are enabled, and fails with a 500 when the catalog has no network service.
OPENSTACK_NEUTRON_NETWORK = dict(OPENSTACK_NEUTRON_NETWORK, enable_quotas=False)  # noqa: F405
# Sessions stay in Horizon's default store, the process's memory cache: scripts/acceptance runs one uwsgi process.
SESSION_TIMEOUT = 3600
TIME_ZONE = "UTC"
LOGGING["handlers"]["console"]["level"] = "INFO"  # noqa: F405
