package org.trovej.guestagent.postgresql;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Memory settings for a flavor's RAM, used when the control plane sends no rendered configuration.
 * The usual rules of thumb for a machine that runs only the database: a quarter of RAM for shared buffers,
 * three quarters as the planner's idea of the OS cache, connections scaled with RAM (about one per 10 MB,
 * 25..500), and work_mem sized so that every connection running a few sorts at once still fits beside the
 * shared buffers.
 */
public final class PostgresTuning {

    private PostgresTuning() {
    }

    public static Map<String, String> forMemory(int memoryMb) {
        int mb = Math.max(memoryMb, 64);
        int sharedBuffersMb = Math.max(16, mb / 4);
        int effectiveCacheMb = Math.max(32, mb * 3 / 4);
        int maxConnections = clamp(mb / 10, 25, 500);
        long workMemKb = clamp((long) (mb - sharedBuffersMb) * 1024 / (maxConnections * 3L), 1024, 65536);
        int maintenanceMb = clamp(mb / 16, 16, 2048);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("shared_buffers", sharedBuffersMb + "MB");
        settings.put("effective_cache_size", effectiveCacheMb + "MB");
        settings.put("max_connections", Integer.toString(maxConnections));
        settings.put("work_mem", workMemKb + "kB");
        settings.put("maintenance_work_mem", maintenanceMb + "MB");
        return settings;
    }

    private static int clamp(int value, int min, int max) {
        return Math.min(max, Math.max(min, value));
    }

    private static long clamp(long value, long min, long max) {
        return Math.min(max, Math.max(min, value));
    }
}
