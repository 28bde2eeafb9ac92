# An ML2 mechanism driver that binds every port (vif_type ovs, status ACTIVE) without any agent.
# Used by scripts/openstack-aio only: Neutron there has no agents and no dataplane, and the stock drivers
# (openvswitch, linuxbridge) never bind a port without their agent, which makes Nova fail with
# PortBindingFailed. Registered as `osaio_noop` through the dist-info entry point beside this file.
from neutron_lib.api.definitions import portbindings
from neutron_lib import constants
from neutron_lib.plugins.ml2 import api


class NoopMechanismDriver(api.MechanismDriver):

    def initialize(self):
        pass

    def bind_port(self, context):
        for segment in context.segments_to_bind:
            context.set_binding(segment[api.ID], portbindings.VIF_TYPE_OVS,
                                {portbindings.CAP_PORT_FILTER: True,
                                 portbindings.OVS_HYBRID_PLUG: False},
                                status=constants.PORT_STATUS_ACTIVE)
            return
