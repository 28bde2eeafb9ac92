package org.trovej.taskmanager.datastore;

import java.util.Locale;

import org.springframework.stereotype.Component;
import org.trovej.common.flavor.Flavor;

/**
 * The datastore's main configuration rendered for a flavor: {@code prepare}'s and
 * {@code start_db_with_conf_changes}'s {@code config_contents}, as Trove renders its per-datastore templates.
 * Only the PostgreSQL template exists; other managers get none (null), and their guest uses its defaults.
 */
@Component
public class ConfigTemplates {

    public String render(String manager, Flavor flavor) {
        if (manager == null) {
            return null;
        }
        return switch (manager.toLowerCase(Locale.ROOT)) {
            case "postgresql" -> postgresql(flavor);
            default -> null;
        };
    }

    /**
     * Trove's postgresql/config.template without what a guest decides for itself (addresses, sockets, file
     * locations, archiving, locale names a host may lack): memory sized from the flavor by Trove's rules
     * (shared_buffers 25% of RAM from 3 GB up, 10% below; effective_cache_size RAM less 512 MB), its WAL and
     * logging defaults.
     */
    static String postgresql(Flavor flavor) {
        int ram = flavor.ram();
        int sharedBuffersMb = (int) ((ram >= 3072 ? 0.25 : 0.10) * ram);
        int effectiveCacheMb = Math.max(ram - 512, 512);
        return """
                # PostgreSQL configuration rendered by the TroveJ task manager for flavor %s (%d MB RAM, %d vCPUs)
                max_connections = 100
                shared_buffers = %dMB
                effective_cache_size = %dMB
                dynamic_shared_memory_type = posix
                wal_level = replica
                max_wal_size = 1GB
                min_wal_size = 80MB
                log_timezone = 'Etc/UTC'
                update_process_title = off
                datestyle = 'iso, mdy'
                timezone = 'Etc/UTC'
                default_text_search_config = 'pg_catalog.english'
                """.formatted(flavor.name(), ram, flavor.vcpus(), Math.max(sharedBuffersMb, 16), effectiveCacheMb);
    }
}
