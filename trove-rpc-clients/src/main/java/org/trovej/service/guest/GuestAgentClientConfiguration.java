package org.trovej.service.guest;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.service.keys.InstanceKeyStore;

/** The one guest agent client of a JVM, with Trove's call timeouts ({@code trovej.guest.timeouts.*}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GuestTimeouts.class)
public class GuestAgentClientConfiguration {

    @Bean
    public GuestAgentClient guestAgentClient(RpcTransport transport, RpcClient rpcClient, InstanceKeyStore keys,
                                             GuestTimeouts timeouts) {
        return new GuestAgentClient(transport, rpcClient, keys, timeouts);
    }
}
