"""Runs Debian's `openstack` command many times in one Python process, for the tests.

Each request is one JSON line on stdin: {"argv": [...], "env": {...} or null}. Each command runs as the
`openstack` console script runs it (openstackclient.shell.main: a new OpenStackShell per command), with its
stdout, stderr and stdin its own, and os.environ as the request says (env: the OS_* variables; null: the
process's own). The answer is one JSON line {"rc": int, "stdout": str, "stderr": str} on the file descriptor
that was stdout when this started; fd 1 itself then points at stderr, so nothing a library writes there can
break the protocol. What this saves is the 1-2 s of importing the client and its plugins for every command.
"""
import contextlib
import io
import json
import logging
import os
import sys
import traceback

answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
os.dup2(2, 1)
sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", closefd=False), encoding="utf-8")

sys.argv = ["openstack"]  # cliff names the program after it when it is imported
from openstackclient import shell  # noqa: E402  (after the fd swap: importing may print)
from openstackclient.common import clientmanager as osc_clientmanager  # noqa: E402
from osc_lib import clientmanager as lib_clientmanager  # noqa: E402

BASE_ENV = dict(os.environ)


def forget_clients():
    """The API clients osc-lib caches on its ClientManager class (ClientCache descriptors: one per service, shared by
    every instance), made for the last command's endpoint and credentials: a new process starts without them."""
    for manager in (lib_clientmanager.ClientManager, osc_clientmanager.ClientManager):
        for klass in manager.__mro__:
            for value in vars(klass).values():
                if isinstance(value, lib_clientmanager.ClientCache):
                    value._handle = None


def run(argv, env):
    os.environ.clear()
    os.environ.update({k: v for k, v in BASE_ENV.items() if env is None or not k.startswith("OS_")})
    if env is not None:
        os.environ.update(env)
    out, err = io.StringIO(), io.StringIO()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stdin = sys.stdin
    sys.stdin = io.StringIO("")
    sys.argv = ["openstack"] + list(argv)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = shell.OpenStackShell().run(argv)
            except SystemExit as e:
                rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            except BaseException:
                traceback.print_exc()
                rc = 1
    finally:
        forget_clients()
        sys.stdin = stdin
        # each command configures logging afresh, as a new process would
        for h in list(root.handlers):
            if h not in handlers:
                root.removeHandler(h)
        root.setLevel(level)
    return {"rc": rc if isinstance(rc, int) else 0, "stdout": out.getvalue(), "stderr": err.getvalue()}


for line in sys.stdin:
    if not line.strip():
        continue
    request = json.loads(line)
    answers.write(json.dumps(run(request["argv"], request.get("env"))) + "\n")
    answers.flush()
