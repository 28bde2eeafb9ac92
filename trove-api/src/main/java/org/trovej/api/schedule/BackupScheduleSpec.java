package org.trovej.api.schedule;

/** A schedule as a request sets it, checked ({@link BackupScheduleReader}). */
record BackupScheduleSpec(String cron, String timezone, Integer keepCount, Integer keepDays, int fullEvery) {
}
