package org.trovej.service.quota;

import java.util.List;

/** Trove's registered quota resources, in the order Trove registers them (trove/quota/quota.py). */
public final class QuotaResources {

    public static final String INSTANCES = "instances";
    public static final String RAM = "ram";
    public static final String BACKUPS = "backups";
    public static final String VOLUMES = "volumes";

    /** Registration order: the order of show's rows and of the ABSOLUTE limits. */
    public static final List<String> ALL = List.of(INSTANCES, RAM, BACKUPS, VOLUMES);

    private QuotaResources() {
    }

    public static boolean known(String resource) {
        return ALL.contains(resource);
    }
}
