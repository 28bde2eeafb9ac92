package org.trovej.taskmanager.compute.local;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The engines the local back end runs, by datastore manager. */
public class LocalEngines {

    private final List<LocalEngine> engines;

    public LocalEngines(List<LocalEngine> engines) {
        this.engines = List.copyOf(engines);
    }

    public List<LocalEngine> all() {
        return engines;
    }

    /** The engine serving a datastore manager ({@code postgresql}, {@code mariadb}, {@code mysql}). */
    public Optional<LocalEngine> forManager(String manager) {
        if (manager == null) {
            return Optional.empty();
        }
        String wanted = manager.toLowerCase(Locale.ROOT);
        return engines.stream().filter(e -> e.managers().contains(wanted)).findFirst();
    }

    /** Every datastore manager served, for messages. */
    public List<String> managers() {
        return engines.stream().flatMap(e -> e.managers().stream()).toList();
    }
}
