package org.trovej.api;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * API settings under {@code trovej.api} (environment: TROVEJ_API_PUBLIC_ENDPOINT, ...).
 *
 * @param publicEndpoint Trove's {@code public_endpoint}: the base URL put in the versions document instead of
 *                       the one the request came in on (for an API behind a proxy that rewrites Host)
 */
@ConfigurationProperties(prefix = "trovej.api")
public record ApiProperties(String publicEndpoint) {
}
