package org.trovej.allinone.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** When the embedded servers are left out: external ones configured, or the embedded mode turned off. */
class EmbeddedInfrastructureTest {

    private static StandardEnvironment environment(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        variables));
        // what TroveDefaults always adds: a fallback, not the user's choice
        environment.getPropertySources().addLast(new MapPropertySource("trovej-defaults",
                Map.of("spring.datasource.url", "jdbc:postgresql://127.0.0.1:5432/trove")));
        return environment;
    }

    @Test
    void onlyTheUsersOwnSettingsCountAsExternal() {
        assertThat(EmbeddedInfrastructure.configured(environment(Map.of()), "spring.datasource.url")).isFalse();
        assertThat(EmbeddedInfrastructure.configured(environment(Map.of("SPRING_DATASOURCE_URL", " ")),
                "spring.datasource.url")).isFalse();
        assertThat(EmbeddedInfrastructure.configured(
                environment(Map.of("SPRING_DATASOURCE_URL", "jdbc:postgresql://db:5432/trove")),
                "spring.datasource.url")).isTrue();
        assertThat(EmbeddedInfrastructure.configured(
                environment(Map.of("TROVEJ_RPC_AMQP_URI", "amqp://trove:trove@mq:5672/%2F")),
                "trovej.rpc.amqp-uri")).isTrue();
    }

    @Test
    void externalDatabaseAndBrokerStartNothing() {
        StandardEnvironment environment = environment(Map.of(
                "SPRING_DATASOURCE_URL", "jdbc:postgresql://db:5432/trove",
                "TROVEJ_RPC_AMQP_URI", "amqp://trove:trove@mq:5672/%2F"));

        assertStartsNothing(environment);
    }

    @Test
    void disabledStartsNothing() {
        assertStartsNothing(environment(Map.of("TROVEJ_EMBEDDED_ENABLED", "false")));
    }

    private static void assertStartsNothing(StandardEnvironment environment) {
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            context.setEnvironment(environment);

            new EmbeddedInfrastructure().initialize(context);

            assertThat(context.getBeanFactory().containsSingleton(EmbeddedInfrastructure.POSTGRES_BEAN)).isFalse();
            assertThat(context.getBeanFactory().containsSingleton(EmbeddedInfrastructure.BROKER_BEAN)).isFalse();
            assertThat(environment.getPropertySources().contains(EmbeddedInfrastructure.PROPERTY_SOURCE)).isFalse();
        }
    }
}
