package org.trovej.service.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;

/** Five-field crons and macros, read in the schedule's zone, across daylight saving; bad ones refused with why. */
class BackupCronTest {

    @Test
    void everyMinuteAndMacrosInUtc() {
        BackupCron minutely = BackupCron.parse("* * * * *", null);
        assertThat(minutely.zone().getId()).isEqualTo("UTC");
        assertThat(minutely.nextAfter(LocalDateTime.parse("2026-12-04T10:15:30")))
                .isEqualTo(LocalDateTime.parse("2026-12-04T10:16:00"));
        assertThat(minutely.nextAfter(LocalDateTime.parse("2026-12-04T10:16:00")))
                .as("strictly after").isEqualTo(LocalDateTime.parse("2026-12-04T10:17:00"));
        assertThat(BackupCron.parse("@daily", "UTC").nextAfter(LocalDateTime.parse("2026-12-04T10:15:30")))
                .isEqualTo(LocalDateTime.parse("2026-12-05T00:00:00"));
        assertThat(BackupCron.parse("0 3 * * MON", "UTC").nextAfter(LocalDateTime.parse("2026-12-04T10:15:30")))
                .isEqualTo(LocalDateTime.parse("2026-12-07T03:00:00"));
    }

    @Test
    void aZonedScheduleKeepsItsLocalHourAcrossDaylightSaving() {
        BackupCron berlin = BackupCron.parse("30 3 * * *", "Europe/Berlin");
        // winter: UTC+1; summer (from 29 March 2026): UTC+2
        assertThat(berlin.nextAfter(LocalDateTime.parse("2026-03-27T12:00:00")))
                .isEqualTo(LocalDateTime.parse("2026-03-28T02:30:00"));
        assertThat(berlin.nextAfter(LocalDateTime.parse("2026-03-28T12:00:00")))
                .isEqualTo(LocalDateTime.parse("2026-03-29T01:30:00"));
    }

    @Test
    void badRulesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> BackupCron.parse("* * * *", null)).hasMessageContaining("five fields");
        assertThatThrownBy(() -> BackupCron.parse("0 * * * * *", null)).hasMessageContaining("five fields");
        assertThatThrownBy(() -> BackupCron.parse("99 * * * *", null)).hasMessageContaining("is not valid");
        assertThatThrownBy(() -> BackupCron.parse("0 0 31 2 *", null)).hasMessageContaining("never fires");
        assertThatThrownBy(() -> BackupCron.parse("@reboot", null)).hasMessageContaining("is not one of");
        assertThatThrownBy(() -> BackupCron.parse("0 3 * * *", "Nowhere/Else"))
                .hasMessageContaining("is not a time zone");
        assertThatThrownBy(() -> BackupCron.parse(" ", null)).hasMessage("cron is missing.");
    }
}
