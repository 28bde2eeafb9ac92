package org.trovej.service.keys;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ComponentScan(basePackageClasses = KeysConfiguration.class)
public class KeysConfiguration {
}
