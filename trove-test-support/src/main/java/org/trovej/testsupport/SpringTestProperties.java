package org.trovej.testsupport;

import org.springframework.test.context.DynamicPropertyRegistry;

/** Feeds the chosen infrastructure to a Spring Boot test through {@code @DynamicPropertySource}. */
public final class SpringTestProperties {

    private SpringTestProperties() {
    }

    public static void register(DynamicPropertyRegistry registry) {
        TestInfrastructure infra = TestInfrastructure.get();
        registry.add("spring.datasource.url", infra::jdbcUrl);
        registry.add("spring.datasource.username", infra::dbUser);
        registry.add("spring.datasource.password", infra::dbPassword);
        registry.add("trovej.rpc.amqp-uri", infra::amqpUri);
    }
}
