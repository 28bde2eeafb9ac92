package org.trovej.service.taskmanager;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.trovej.common.rpc.RpcClient;
import org.trovej.service.TroveProperties;

@Configuration(proxyBeanMethods = false)
public class TaskManagerClientConfiguration {

    @Bean
    public TaskManagerClient taskManagerClient(RpcClient rpcClient, TroveProperties properties) {
        return new TaskManagerClient(rpcClient, properties);
    }
}
