# Runs an OpenStack command's main() from its module, the way the packaged console script would:
#   /usr/bin/python3 run.py MODULE PROGRAM-NAME [args...]
# Used by scripts/openstack-aio for the daemons and *-manage tools whose scripts live in Debian's daemon
# packages (not installed: their postinsts configure databases and start services).
import importlib
import sys

module, prog = sys.argv[1], sys.argv[2]
sys.argv = [prog] + sys.argv[3:]
sys.exit(importlib.import_module(module).main())
