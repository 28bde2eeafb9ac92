# Keystone registration and first resources for scripts/openstack-aio, through the REST APIs with
# keystoneauth1 (one admin session; the openstack CLI costs ~1.5 s per call here).
#
#   /usr/bin/python3 provision.py register   service role, service users, services and endpoints
#   /usr/bin/python3 provision.py resources  flavors, the tiny image, the management network and subnet
#   /usr/bin/python3 provision.py pools      exit 0 when Cinder's scheduler lists the nfs1 pool
#
# Settings come from the environment (scripts/openstack-aio sets them): OS_* of the admin, AIO_SERVICES
# ("name:password ..."), AIO_PORTS_* and AIO_IMAGE_FILE, AIO_NETWORK, AIO_SUBNET, AIO_CIDR.
import concurrent.futures
import os
import sys

from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

E = os.environ
sess = ks_session.Session(auth=v3.Password(
    auth_url=E['OS_AUTH_URL'], username=E['OS_USERNAME'], password=E['OS_PASSWORD'],
    project_name=E['OS_PROJECT_NAME'], user_domain_name='Default', project_domain_name='Default'))
REGION = 'RegionOne'


def call(method, service_type, path, body=None, ok=(200, 201, 202, 204), headers=None, data=None, **kw):
    args = dict(endpoint_filter={'service_type': service_type, 'interface': 'public', 'region_name': REGION},
                raise_exc=False, headers=headers or {})
    if service_type == 'identity':
        # the catalog's identity URL already ends in /v3
        del args['endpoint_filter']
        path = E['OS_AUTH_URL'].rstrip('/') + path
    if body is not None:
        args['json'] = body
    if data is not None:
        args['data'] = data
    args.update(kw)
    r = sess.request(path, method, **args)
    if r.status_code not in ok:
        raise SystemExit('openstack-aio: %s %s %s -> %s %s' % (method, service_type, path, r.status_code,
                                                               r.text[:500]))
    return r.json() if r.content and 'json' in r.headers.get('Content-Type', '') else None


def ks(method, path, body=None, ok=(200, 201, 204)):
    return call(method, 'identity', path, body, ok=ok)


def find_one(collection, **query):
    q = '&'.join('%s=%s' % kv for kv in query.items())
    items = ks('GET', '/%s?%s' % (collection, q))[collection]
    return items[0] if items else None


def ensure(collection, key, body, **query):
    found = find_one(collection, **query)
    if found:
        return found
    return ks('POST', '/' + collection, {key: body})[key]


SERVICES = [
    # (type, name, url)
    ('image', 'glance', 'http://127.0.0.1:%s' % E['AIO_PORT_GLANCE']),
    ('placement', 'placement', 'http://127.0.0.1:%s' % E['AIO_PORT_PLACEMENT']),
    ('compute', 'nova', 'http://127.0.0.1:%s/v2.1' % E['AIO_PORT_NOVA']),
    ('network', 'neutron', 'http://127.0.0.1:%s' % E['AIO_PORT_NEUTRON']),
    ('volumev3', 'cinderv3', 'http://127.0.0.1:%s/v3/%%(project_id)s' % E['AIO_PORT_CINDER']),
    ('object-store', 'swift', 'http://127.0.0.1:%s/v1/AUTH_%%(project_id)s' % E['AIO_PORT_SWIFT']),
]


def register():
    # few calls: Keystone answers in 0.1-0.5 s each here; lists are read once, only what is missing is written
    service_project = ensure('projects', 'project', {'name': 'service', 'domain_id': 'default'},
                             name='service', domain_id='default')['id']
    existing_roles = {r['name']: r['id'] for r in ks('GET', '/roles')['roles']}
    roles = {}
    for r in ('admin', 'service', 'member'):
        roles[r] = existing_roles.get(r) or ks('POST', '/roles', {'role': {'name': r}})['role']['id']
    users = {u['name']: u for u in ks('GET', '/users?domain_id=default')['users']}
    granted = {(a['user']['id'], a['role']['id'])
               for a in ks('GET', '/role_assignments?scope.project.id=' + service_project)['role_assignments']
               if 'user' in a}
    wanted = [e.split(':', 1) for e in E['AIO_SERVICES'].split()]

    def password_ok(user, password):
        r = sess.post(E['OS_AUTH_URL'].rstrip('/') + '/auth/tokens', authenticated=False, raise_exc=False,
                      json={'auth': {'identity': {'methods': ['password'], 'password': {
                          'user': {'id': user['id'], 'password': password}}}}})
        return r.status_code == 201

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        checks = {name: pool.submit(password_ok, users[name], password)
                  for name, password in wanted if name in users}
    for name, password in wanted:
        user = users.get(name)
        if user is None:
            user = ks('POST', '/users', {'user': {'name': name, 'domain_id': 'default', 'password': password,
                                                  'default_project_id': service_project}})['user']
        elif not checks[name].result() or not user.get('enabled', True):
            # only reset a wrong password: a change revokes the tokens the running services hold
            ks('PATCH', '/users/' + user['id'], {'user': {'password': password, 'enabled': True}})
        for role in ('admin', 'service'):
            if (user['id'], roles[role]) not in granted:
                ks('PUT', '/projects/%s/users/%s/roles/%s' % (service_project, user['id'], roles[role]))
    services = {sv['type']: sv for sv in ks('GET', '/services')['services']}
    endpoints = ks('GET', '/endpoints')['endpoints']
    for stype, sname, url in SERVICES:
        svc = services.get(stype) or ks('POST', '/services', {'service': {
            'type': stype, 'name': sname, 'enabled': True}})['service']
        for interface in ('public', 'internal', 'admin'):
            ep = next((e for e in endpoints if e['service_id'] == svc['id'] and e['interface'] == interface), None)
            if ep is None:
                ks('POST', '/endpoints', {'endpoint': {'service_id': svc['id'], 'interface': interface,
                                                       'url': url, 'region_id': REGION, 'enabled': True}})
            elif ep['url'] != url or not ep.get('enabled', True):
                ks('PATCH', '/endpoints/' + ep['id'], {'endpoint': {'url': url, 'enabled': True}})


FLAVORS = [  # id, name, ram MB, vcpus, disk GB
    ('10', 'ds512M', 512, 1, 5),
    ('11', 'ds1G', 1024, 1, 10),
]


def resources():
    service_project = find_one('projects', name='service', domain_id='default')['id']
    for fid, name, ram, vcpus, disk in FLAVORS:
        r = sess.get('/flavors/' + fid, endpoint_filter={'service_type': 'compute', 'region_name': REGION},
                     raise_exc=False)
        if r.status_code == 404:
            call('POST', 'compute', '/flavors', {'flavor': {'id': fid, 'name': name, 'ram': ram, 'vcpus': vcpus,
                                                             'disk': disk, 'os-flavor-access:is_public': True}})
    name = E['AIO_IMAGE_NAME']
    images = call('GET', 'image', '/v2/images?name=' + name)['images']
    for img in images:
        if img['status'] != 'active':
            call('DELETE', 'image', '/v2/images/' + img['id'])
    if not any(i['status'] == 'active' for i in images):
        img = call('POST', 'image', '/v2/images', {
            'name': name, 'disk_format': 'qcow2', 'container_format': 'bare', 'visibility': 'public',
            'tags': ['trove', 'trovej'], 'min_disk': 0, 'min_ram': 0})
        with open(E['AIO_IMAGE_FILE'], 'rb') as f:
            call('PUT', 'image', '/v2/images/%s/file' % img['id'], data=f.read(),
                 headers={'Content-Type': 'application/octet-stream'})
    nets = call('GET', 'network', '/v2.0/networks?name=' + E['AIO_NETWORK'])['networks']
    if nets:
        net = nets[0]
    else:
        net = call('POST', 'network', '/v2.0/networks', {'network': {
            'name': E['AIO_NETWORK'], 'project_id': service_project, 'admin_state_up': True,
            'shared': False}})['network']
    subnets = call('GET', 'network', '/v2.0/subnets?network_id=' + net['id'])['subnets']
    if not subnets:
        call('POST', 'network', '/v2.0/subnets', {'subnet': {
            'name': E['AIO_SUBNET'], 'network_id': net['id'], 'project_id': service_project,
            'ip_version': 4, 'cidr': E['AIO_CIDR'], 'enable_dhcp': False}})


def pools():
    body = call('GET', 'volumev3', '/scheduler-stats/get_pools', ok=(200,))
    names = [p['name'] for p in body.get('pools', [])]
    sys.exit(0 if any(n.startswith('osaio@nfs1') for n in names) else 1)


{'register': register, 'resources': resources, 'pools': pools}[sys.argv[1]]()
