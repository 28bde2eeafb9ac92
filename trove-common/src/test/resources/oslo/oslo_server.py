"""A real oslo.messaging RPC server (threading executor) for the TroveJ interop tests.

usage: python3 -u oslo_server.py '<json config>'
config: {"transport_url", "exchange", "max_seconds"?,
         "servers": [{"name", "topic", "server", "version"?, "serializer"?: see trove_serializers.make_serializer}]}

stdout: one JSON object per line: {"event": "ready", ...} once every server listens, then
        {"event": "invoked", "name", "method", "args", "ctxt"} for every endpoint method run.
Stops when stdin is closed (the test closes it) or after max_seconds.
"""

import json
import logging
import os
import sys
import threading
import time

import oslo_messaging

import trove_serializers

_out_lock = threading.Lock()


def emit(obj):
    line = json.dumps(obj, default=repr)
    with _out_lock:
        sys.stdout.write(line + '\n')
        sys.stdout.flush()


class InteropFailure(Exception):
    """A Trove-like application exception raised by the 'fail' method."""


class Endpoint(object):

    def __init__(self, name, version):
        self.name = name
        self.target = oslo_messaging.Target(version=version)

    def _seen(self, method, ctxt, args):
        emit({'event': 'invoked', 'name': self.name, 'method': method, 'args': args, 'ctxt': ctxt})

    def echo(self, ctxt, **kwargs):
        self._seen('echo', ctxt, kwargs)
        return {'args': kwargs, 'ctxt': ctxt}

    def record(self, ctxt, **kwargs):
        self._seen('record', ctxt, kwargs)
        return None

    def prepare(self, ctxt, **kwargs):
        self._seen('prepare', ctxt, kwargs)
        return None

    def heartbeat(self, ctxt, **kwargs):
        self._seen('heartbeat', ctxt, kwargs)
        return None

    def fail(self, ctxt, message, kind='ValueError'):
        self._seen('fail', ctxt, {'message': message, 'kind': kind})
        if kind == 'ValueError':
            raise ValueError(message)
        if kind == 'KeyError':
            raise KeyError(message)
        raise InteropFailure(message)

    def sleep(self, ctxt, seconds):
        self._seen('sleep', ctxt, {'seconds': seconds})
        time.sleep(seconds)
        return {'slept': seconds}

    def _private(self, ctxt, **kwargs):
        self._seen('_private', ctxt, kwargs)
        return 'must never be reachable'


def main():
    config = json.loads(sys.argv[1])
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format='%(asctime)s %(levelname)s %(name)s: %(message)s')
    max_seconds = config.get('max_seconds', 300)
    killer = threading.Timer(max_seconds, lambda: os._exit(3))
    killer.daemon = True
    killer.start()

    transport, _ = trove_serializers.make_transport(config['transport_url'], config['exchange'])
    servers = []
    for spec in config['servers']:
        target = oslo_messaging.Target(topic=spec['topic'], server=spec.get('server', 'oslo-server'))
        endpoint = Endpoint(spec['name'], spec.get('version', '1.3'))
        server = oslo_messaging.get_rpc_server(
            transport, target, [endpoint], executor='threading',
            serializer=trove_serializers.make_serializer(spec.get('serializer')))
        server.start()
        servers.append(server)
    emit({'event': 'ready', 'pid': os.getpid(), 'servers': [s['name'] for s in config['servers']]})

    # Run until the test closes our stdin.
    while sys.stdin.readline():
        pass

    for server in servers:
        server.stop()
    for server in servers:
        server.wait()
    transport.cleanup()
    emit({'event': 'stopped'})
    os._exit(0)


if __name__ == '__main__':
    main()
