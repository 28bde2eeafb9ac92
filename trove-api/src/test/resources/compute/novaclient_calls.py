# Drives TroveJ's compute API through the real python-novaclient, as Horizon does (a session whose auth plugin
# carries the token, the catalog's compute URL as endpoint_override, API version "2"), and prints what it read.
# Usage: novaclient_calls.py <endpoint> <project> <admin project> <server name>
import datetime
import json
import sys

from keystoneauth1 import session, token_endpoint
from novaclient import client

endpoint, project, admin_project, server_name = sys.argv[1:5]


def nova(project_id, roles):
    # noauth mode: the project and roles are headers; the token is sent as X-Auth-Token regardless
    sess = session.Session(auth=token_endpoint.Token(endpoint, "no-token"),
                           additional_headers={"X-Project-Id": project_id, "X-Roles": roles})
    return client.Client("2", session=sess, endpoint_override=endpoint)


member = nova(project, "member")
admin = nova(admin_project, "member,admin")
current = member.versions.get_current()
flavors = member.flavors.list()
flavor = member.flavors.get("2")
zones = member.availability_zones.list(detailed=False)
limits = member.limits.get(reserved=True)
servers = admin.servers.list(search_opts={"all_tenants": True, "name": server_name})
own = member.servers.list()
shown = member.servers.get(own[0].id) if own else None
# Horizon's Overview: the project's usage since the start of the day, as timezone-aware datetimes
now = datetime.datetime.now(datetime.timezone.utc)
usage = member.usage.get(project, now - datetime.timedelta(days=1), now + datetime.timedelta(minutes=1))
print(json.dumps({
    "version": current.version,
    "min_version": current.min_version,
    "flavors": {f.id: f.name for f in flavors},
    "flavor": {"ram": flavor.ram, "vcpus": flavor.vcpus, "ephemeral": flavor.ephemeral,
               "is_public": flavor.is_public, "extra_specs": flavor.get_keys()},
    "zones": [{"name": z.zoneName, "available": z.zoneState["available"]} for z in zones],
    "instances_used": {l.name: l.value for l in limits.absolute}["totalInstancesUsed"],
    "all_tenants": [{"id": s.id, "flavor": s.flavor["id"], "name": s.name} for s in servers],
    "own": [s.id for s in own],
    "usage": {"total_hours": usage.total_hours, "total_vcpus_usage": usage.total_vcpus_usage,
              "servers": [u["name"] for u in usage.server_usages]},
    "shown": None if shown is None else {"status": shown.status, "networks": shown.networks,
                                         "zone": getattr(shown, "OS-EXT-AZ:availability_zone")},
}))
