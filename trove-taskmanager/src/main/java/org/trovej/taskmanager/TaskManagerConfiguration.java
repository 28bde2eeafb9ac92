package org.trovej.taskmanager;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TaskManagerProperties.class)
public class TaskManagerConfiguration {
}
