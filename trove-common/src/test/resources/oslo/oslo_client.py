"""A real oslo.messaging RPC client for the TroveJ interop tests: runs a batch of casts and calls.

usage: python3 -u oslo_client.py < plan.json
plan: {"transport_url", "exchange", "max_seconds"?,
       "ops": [{"id", "kind": "call"|"cast", "topic", "server"?, "version"? (absent = no version key),
                "namespace"?, "method", "args": {}, "context": {}, "serializer"?: see make_serializer,
                "timeout"?: seconds (calls), "call_monitor_timeout"?}]}
stdout: one JSON line per op, in order:
  {"id", "ok": true, "result": <deserialized result>, "elapsed": s}
  {"id", "ok": false, "error": {"type", "module", "remote_error", "timeout", "exc_type", "value",
                                "first_line", "str"}, "elapsed": s}
then {"done": true}. Exit status 0 unless the script itself broke.
"""

import json
import logging
import os
import sys
import threading
import time

import oslo_messaging

import trove_serializers


def emit(obj):
    sys.stdout.write(json.dumps(obj, default=repr) + '\n')
    sys.stdout.flush()


def describe(exc):
    text = str(exc)
    return {
        'type': type(exc).__name__,
        'module': type(exc).__module__,
        'remote_error': isinstance(exc, oslo_messaging.RemoteError),
        'timeout': isinstance(exc, oslo_messaging.MessagingTimeout),
        'exc_type': getattr(exc, 'exc_type', None),
        'value': getattr(exc, 'value', None),
        'first_line': text.split('\n', 1)[0],
        'str': text[:4000],
    }


def run(transport, op):
    target_kwargs = {'topic': op['topic']}
    for name in ('server', 'version', 'namespace'):
        if op.get(name) is not None:
            target_kwargs[name] = op[name]
    client = oslo_messaging.get_rpc_client(
        transport, oslo_messaging.Target(**target_kwargs),
        serializer=trove_serializers.make_serializer(op.get('serializer')),
        timeout=op.get('timeout', 10),
        call_monitor_timeout=op.get('call_monitor_timeout'))
    args = op.get('args', {})
    ctxt = op.get('context', {})
    if op['kind'] == 'cast':
        client.cast(ctxt, op['method'], **args)
        return None
    return client.call(ctxt, op['method'], **args)


def main():
    plan = json.loads(sys.stdin.read())
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format='%(asctime)s %(levelname)s %(name)s: %(message)s')
    killer = threading.Timer(plan.get('max_seconds', 120), lambda: os._exit(3))
    killer.daemon = True
    killer.start()

    transport, _ = trove_serializers.make_transport(plan['transport_url'], plan['exchange'])
    for op in plan['ops']:
        start = time.monotonic()
        try:
            result = run(transport, op)
            emit({'id': op.get('id'), 'ok': True, 'result': result,
                  'elapsed': time.monotonic() - start})
        except Exception as exc:  # every failure is data for the test
            emit({'id': op.get('id'), 'ok': False, 'error': describe(exc),
                  'elapsed': time.monotonic() - start})
    transport.cleanup()
    emit({'done': True})
    sys.stdout.flush()
    os._exit(0)


if __name__ == '__main__':
    main()
