package org.trovej.api.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.trovej.common.rpc.RpcTransport;

/** {@link BrokerGate} on the Trove API's paths, after authentication and the rate limits. */
@Configuration(proxyBeanMethods = false)
public class BrokerGateWebConfiguration implements WebMvcConfigurer {

    private final RpcTransport transport;

    public BrokerGateWebConfiguration(RpcTransport transport) {
        this.transport = transport;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new BrokerGate(transport)).addPathPatterns("/v1.0/**").order(Ordered.LOWEST_PRECEDENCE);
    }
}
