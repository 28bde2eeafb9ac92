package org.trovej.common.datastore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Memory settings for a flavor's RAM, used when the control plane sends no rendered configuration, after the
 * rules of Trove's MySQL configuration template: half the RAM for InnoDB's buffer pool, connections, open tables
 * and the MyISAM key buffer scaled per 512 MB, in-memory temporary tables a sixteenth of the RAM. Shared: the
 * MySQL-family guest writes them, and the control plane shows them as the instance's default configuration and
 * resets a detached group's values to them.
 */
public final class MySqlTuning {

    private MySqlTuning() {
    }

    public static Map<String, String> forMemory(int memoryMb) {
        int mb = Math.max(memoryMb, 128);
        Map<String, String> settings = new LinkedHashMap<>();
        // the pool is allocated in chunks: a chunk no larger than the pool keeps small flavors small
        int poolMb = Math.max(32, mb / 2);
        settings.put("innodb_buffer_pool_size", poolMb + "M");
        settings.put("innodb_buffer_pool_chunk_size", Math.min(poolMb, 128) + "M");
        settings.put("max_connections", Integer.toString(clamp(mb * 100 / 512, 50, 2000)));
        settings.put("table_open_cache", Integer.toString(clamp(mb * 1024 / 512, 256, 16384)));
        settings.put("table_definition_cache", Integer.toString(clamp(mb * 1024 / 512, 400, 16384)));
        settings.put("key_buffer_size", clamp(mb * 50 / 512, 8, 4096) + "M");
        settings.put("tmp_table_size", clamp(mb / 16, 16, 1024) + "M");
        settings.put("max_heap_table_size", clamp(mb / 16, 16, 1024) + "M");
        settings.put("thread_cache_size", Integer.toString(clamp(mb * 8 / 512, 8, 256)));
        return settings;
    }

    private static int clamp(int value, int min, int max) {
        return Math.min(max, Math.max(min, value));
    }
}
