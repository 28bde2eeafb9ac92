package org.trovej.common.datastore;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.trovej.common.flavor.Flavor;

/**
 * The datastore's main configuration rendered for a flavor: {@code prepare}'s and
 * {@code start_db_with_conf_changes}'s {@code config_contents}, as Trove renders its per-datastore templates.
 * Only the PostgreSQL template exists; other managers get none (null), and their guest uses its defaults. Shared:
 * the task manager sends it to guests, the API shows it as an instance's default configuration and resets a
 * detached group's values to it.
 */
public class ConfigTemplates {

    private static final Set<String> MYSQL_FAMILY = Set.of("mysql", "mariadb");

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

    /**
     * The datastore's default configuration for a flavor, as Trove's render_dict reads its rendered template: each
     * {@code name = value} line of the rendered template, quotes around a value removed, comments skipped; for the
     * MySQL family, which gets no rendered template here, the memory settings its guest sizes for the flavor
     * ({@link MySqlTuning}); empty for other managers.
     */
    public Map<String, String> values(String manager, Flavor flavor) {
        Map<String, String> values = new LinkedHashMap<>();
        if (manager != null && MYSQL_FAMILY.contains(manager.toLowerCase(Locale.ROOT))) {
            values.putAll(MySqlTuning.forMemory(flavor.ram()));
            return values;
        }
        String text = render(manager, flavor);
        if (text == null) {
            return values;
        }
        for (String line : text.split("\\n")) {
            String trimmed = line.strip();
            int eq = trimmed.indexOf('=');
            if (trimmed.isEmpty() || trimmed.startsWith("#") || eq <= 0) {
                continue;
            }
            String value = trimmed.substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                value = value.substring(1, value.length() - 1);
            }
            values.put(trimmed.substring(0, eq).strip(), value);
        }
        return values;
    }
}
