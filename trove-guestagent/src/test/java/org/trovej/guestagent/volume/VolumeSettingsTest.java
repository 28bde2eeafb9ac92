package org.trovej.guestagent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.config.IniFile;

class VolumeSettingsTest {

    @TempDir
    Path dir;

    private static VolumeSettings settings(String... defaultLines) {
        List<String> lines = new ArrayList<>(List.of("[DEFAULT]"));
        lines.addAll(List.of(defaultLines));
        return VolumeSettings.from(GuestConfig.of(IniFile.parse(lines, "test")));
    }

    @Test
    void withoutKeysPreparesDevicePathIsUsedAndNoDevicePathMeansADirectory() {
        VolumeSettings s = settings();
        assertThat(s.deviceFor("/dev/vdb")).contains(Path.of("/dev/vdb"));
        assertThat(s.deviceFor(null)).isEmpty();
        assertThat(s.deviceFor(" ")).isEmpty();
        assertThat(s.fstype()).isEqualTo("ext4");
        assertThat(s.deviceWait()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.mountRecord()).isEqualTo(Path.of("/var/lib/trove-guestagent/volume.mount"));
    }

    @Test
    void volumeDeviceOverridesWhatPrepareSays() {
        VolumeSettings s = settings("volume_device = /dev/sdb", "volume_fstype = XFS", "volume_device_wait = 5",
                "state_dir = /run/agent");
        assertThat(s.deviceFor("/dev/vdb")).contains(Path.of("/dev/sdb"));
        assertThat(s.deviceFor(null)).contains(Path.of("/dev/sdb"));
        assertThat(s.fstype()).isEqualTo("xfs");
        assertThat(s.deviceWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.mountRecord()).isEqualTo(Path.of("/run/agent/volume.mount"));
    }

    @Test
    void volumeDeviceNoneMountsNothingWhateverPrepareSays() {
        VolumeSettings s = settings("volume_device = none");
        assertThat(s.noDevice()).isTrue();
        assertThat(s.configuredDevice()).isEmpty();
        assertThat(s.deviceFor("/dev/vdb")).isEmpty();
        assertThat(settings("volume_device = NONE").deviceFor("/dev/vdb")).isEmpty();
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> settings("volume_device = vdb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("volume_device");
        assertThatThrownBy(() -> settings("volume_fstype = ntfs"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("volume_fstype")
                .hasMessageContaining("ext4");
        assertThatThrownBy(() -> settings("volume_device_wait = soon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("volume_device_wait");
    }

    @Test
    void theMountRecordRoundTripsAndAMissingOneIsEmpty() {
        Path file = dir.resolve("state").resolve("volume.mount");
        assertThat(MountRecord.read(file)).isEmpty();
        new MountRecord(Path.of("/dev/vdb"), Path.of("/var/lib/postgresql")).write(file);
        assertThat(MountRecord.read(file))
                .isEqualTo(Optional.of(new MountRecord(Path.of("/dev/vdb"), Path.of("/var/lib/postgresql"))));
    }

    @Test
    void aDeviceThatNeverAppearsFailsNamingItAndTheWait() {
        BlockDevice missing = new BlockDevice(dir.resolve("no-such-disk"), org.trovej.guestagent.os.Commands.asAgent());
        assertThatThrownBy(() -> missing.awaitPresent(Duration.ofSeconds(1)))
                .hasMessageContaining("no-such-disk").hasMessageContaining("did not appear within 1 s")
                .hasMessageContaining("volume_device");
        assertThatThrownBy(() -> new BlockDevice(dir, org.trovej.guestagent.os.Commands.asAgent())
                .awaitPresent(Duration.ZERO)).hasMessageContaining("is not a block device");
    }
}
