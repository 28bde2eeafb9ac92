# Drives TroveJ's block storage API through the real python-cinderclient, as trove-dashboard's Launch form
# (volume types) and Horizon's Overview (absolute limits) call it, and prints what it read.
# Usage: cinderclient_calls.py <endpoint with the project> <project>
import json
import sys

from cinderclient import client
from keystoneauth1 import session, token_endpoint

endpoint, project = sys.argv[1:3]
# noauth mode: the project and roles are headers; the token is sent as X-Auth-Token regardless
sess = session.Session(auth=token_endpoint.Token(endpoint, "no-token"),
                       additional_headers={"X-Project-Id": project, "X-Roles": "member"})
cinder = client.Client("3", session=sess, endpoint_override=endpoint)
types = cinder.volume_types.list()
limits = {l.name: l.value for l in cinder.limits.get().absolute}
print(json.dumps({
    "types": [{"id": t.id, "name": t.name, "is_public": t.is_public} for t in types],
    "volumes_used": limits["totalVolumesUsed"],
    "gigabytes_used": limits["totalGigabytesUsed"],
    "max_volumes": limits["maxTotalVolumes"],
}))
