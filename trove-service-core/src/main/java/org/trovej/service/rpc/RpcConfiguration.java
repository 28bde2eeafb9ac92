package org.trovej.service.rpc;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.service.TroveProperties;
import org.trovej.service.health.BrokerHealthIndicator;

/** The broker connection and RPC client every control-plane service shares (one of each per JVM). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TroveProperties.class)
public class RpcConfiguration {

    @Bean(destroyMethod = "close")
    public RpcTransport rpcTransport(TroveProperties properties, Environment environment) {
        TroveProperties.Rpc rpc = properties.rpc();
        String name = environment.getProperty("spring.application.name", "trovej");
        return RpcTransport.connect(rpc.amqpUri(), rpc.controlExchange(), name, rpc.connectTimeout());
    }

    /** Health component {@code broker} and gauge {@code trovej_broker_connected}. */
    @Bean
    public BrokerHealthIndicator brokerHealthIndicator(RpcTransport transport, MeterRegistry registry) {
        return new BrokerHealthIndicator(transport, registry);
    }

    @Bean(destroyMethod = "close")
    public RpcClient rpcClient(RpcTransport transport) {
        return new RpcClient(transport);
    }
}
