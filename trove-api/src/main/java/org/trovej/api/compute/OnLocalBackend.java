package org.trovej.api.compute;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Only with the local back end ({@code trovej.compute.backend=local}, the default): there TroveJ itself is the
 * compute service its clients ask; with the openstack back end Nova is, and none of this package exists.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ConditionalOnProperty(name = "trovej.compute.backend", havingValue = "local", matchIfMissing = true)
public @interface OnLocalBackend {
}
