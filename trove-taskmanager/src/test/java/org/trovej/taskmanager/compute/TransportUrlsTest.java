package org.trovej.taskmanager.compute;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TransportUrlsTest {

    @Test
    void theControlPlanesAmqpUriBecomesOslosTransportUrl() {
        assertThat(TransportUrls.fromAmqpUri("amqp://guest:guest@127.0.0.1:5672/%2F"))
                .isEqualTo("rabbit://guest:guest@127.0.0.1:5672/");
        assertThat(TransportUrls.fromAmqpUri("amqp://u:p%40ss@mq.example:5673/trove_vhost"))
                .isEqualTo("rabbit://u:p%40ss@mq.example:5673/trove_vhost");
        assertThat(TransportUrls.fromAmqpUri("amqps://u:p@mq.example/x")).isEqualTo("rabbit://u:p@mq.example:5671/x?ssl=1");
        assertThat(TransportUrls.fromAmqpUri("amqp://u:p@h")).isEqualTo("rabbit://u:p@h:5672/");
    }
}
