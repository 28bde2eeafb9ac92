package org.trovej.service.rpc;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.service.TroveProperties;

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

    @Bean(destroyMethod = "close")
    public RpcClient rpcClient(RpcTransport transport) {
        return new RpcClient(transport);
    }
}
