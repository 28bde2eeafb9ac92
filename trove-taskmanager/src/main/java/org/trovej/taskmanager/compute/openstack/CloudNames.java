package org.trovej.taskmanager.compute.openstack;

/**
 * The names TroveJ gives what it creates for an instance, as Trove names them, so that an operator finds an
 * instance's resources in the cloud and a retried build or a delete finds those made before.
 */
final class CloudNames {

    /** Server metadata key holding the Trove instance id. */
    static final String INSTANCE_METADATA = "trove_instance_id";

    private CloudNames() {
    }

    static String volume(String instanceId) {
        return "trove-" + instanceId;
    }

    static String port(String instanceId) {
        return "trove-" + instanceId;
    }

    static String securityGroup(String instanceId) {
        return "SecGroup_" + instanceId;
    }
}
