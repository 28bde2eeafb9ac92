package org.trovej.common.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;

class ObjectLocationTest {

    @Test
    void splitsAccountContainerAndObject() {
        ObjectLocation location = ObjectLocation.parse(
                "http://127.0.0.1:8090/v1/AUTH_proj1/database_backups/0f1e.tar.gz.enc");

        assertThat(location.accountUrl()).isEqualTo(URI.create("http://127.0.0.1:8090/v1/AUTH_proj1"));
        assertThat(location.container()).isEqualTo("database_backups");
        assertThat(location.object()).isEqualTo("0f1e.tar.gz.enc");
        assertThat(location.toUrl()).isEqualTo("http://127.0.0.1:8090/v1/AUTH_proj1/database_backups/0f1e.tar.gz.enc");
    }

    @Test
    void keepsAPathPrefixInTheAccountAndSlashesInTheObject() {
        ObjectLocation location = ObjectLocation.parse(
                "https://store.example:443/object-store/v1/AUTH_p/c/dir/sub/obj%20name");

        assertThat(location.accountUrl()).isEqualTo(URI.create("https://store.example:443/object-store/v1/AUTH_p"));
        assertThat(location.container()).isEqualTo("c");
        assertThat(location.object()).isEqualTo("dir/sub/obj name");
        assertThat(location.toUrl()).endsWith("/v1/AUTH_p/c/dir/sub/obj%20name");
    }

    @Test
    void aPlusInAnObjectNameStaysAPlus() {
        assertThat(ObjectLocation.parse("http://h/v1/AUTH_p/c/a+b").object()).isEqualTo("a+b");
    }

    @Test
    void refusesWhatIsNotAnObjectLocation() {
        assertThatThrownBy(() -> ObjectLocation.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectLocation.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectLocation.parse("database_backups/x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectLocation.parse("http://h/AUTH_p/c/o")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectLocation.parse("http://h/v1/AUTH_p/c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectLocation.parse("http://h/v1/AUTH_p/c/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectLocation.parse("http://h/v1/AUTH_p//o")).isInstanceOf(IllegalArgumentException.class);
    }
}
