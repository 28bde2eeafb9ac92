# Runs a Swift server (proxy-server, account-server, container-server, object-server) with swift.conf read
# from SWIFT_DIR instead of /etc/swift (Swift validates /etc/swift/swift.conf before it honours swift_dir):
#   /usr/bin/python3 swift_server.py SWIFT_DIR SERVER CONF_FILE
import os
import sys

swift_dir, server, conf_file = sys.argv[1:4]

from swift.common import utils  # noqa: E402

utils.SWIFT_CONF_FILE = os.path.join(swift_dir, 'swift.conf')
utils.HASH_PATH_PREFIX = b''
utils.HASH_PATH_SUFFIX = b''
utils.validate_configuration()

from swift.common import constraints, storage_policy  # noqa: E402

storage_policy.reload_storage_policies()
constraints.reload_constraints()

from swift.common.wsgi import run_wsgi  # noqa: E402

kwargs = {'verbose': True}
if server == 'object-server':
    from swift.obj import server as object_server
    kwargs['global_conf_callback'] = object_server.global_conf_callback
sys.exit(run_wsgi(conf_file, server, **kwargs))
