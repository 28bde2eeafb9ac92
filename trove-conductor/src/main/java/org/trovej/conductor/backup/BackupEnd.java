package org.trovej.conductor.backup;

/**
 * A backup row as an update left it: its state, its size in GB as Trove counts it, the seconds from its creation to
 * this update, and whether it is incremental.
 */
record BackupEnd(String state, Double sizeGb, Number seconds, boolean incremental) {

    String kind() {
        return incremental ? "incremental" : "full";
    }

    boolean finished() {
        return "COMPLETED".equals(state) || "FAILED".equals(state);
    }
}
