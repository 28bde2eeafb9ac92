package org.trovej.api.auth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Keystone that validates tokens when {@code trovej.auth.strategy=keystone}, and TroveJ's service user in it
 * (keystonemiddleware's {@code [keystone_authtoken]}). Environment variables bind by relaxed binding:
 * {@code TROVEJ_KEYSTONE_AUTH_URL}, {@code TROVEJ_KEYSTONE_USERNAME}, {@code TROVEJ_KEYSTONE_PASSWORD},
 * {@code TROVEJ_KEYSTONE_PROJECT_NAME}, {@code TROVEJ_KEYSTONE_USER_DOMAIN_NAME},
 * {@code TROVEJ_KEYSTONE_PROJECT_DOMAIN_NAME}, {@code TROVEJ_KEYSTONE_CACHE_TIME}, ...
 *
 * @param authUrl            Keystone's identity URL, e.g. {@code http://127.0.0.1:5000/v3} ({@code /v3} is added
 *                           when missing)
 * @param username           the service user (it needs a role that may validate others' tokens: admin or service)
 * @param password           its password
 * @param projectName        the project its token is scoped to (e.g. {@code service})
 * @param userDomainName     default {@code Default}
 * @param projectDomainName  default {@code Default}
 * @param wwwAuthenticateUri the URI named in 401 answers ({@code WWW-Authenticate: Keystone uri="..."}); default
 *                           the auth URL
 * @param cacheTime          how long a validation is reused (keystonemiddleware's {@code token_cache_time}, 300 s);
 *                           never beyond the token's own expiry
 * @param cacheSize          validations kept at most (least recently used ones are dropped)
 * @param timeout            connect and request timeout of each call to Keystone
 */
@ConfigurationProperties(prefix = "trovej.keystone")
public record KeystoneProperties(String authUrl, String username, String password, String projectName,
                                 String userDomainName, String projectDomainName, String wwwAuthenticateUri,
                                 Duration cacheTime, Integer cacheSize, Duration timeout) {

    public KeystoneProperties {
        authUrl = blankToNull(authUrl);
        username = blankToNull(username);
        projectName = blankToNull(projectName);
        userDomainName = blankToNull(userDomainName) == null ? "Default" : userDomainName.trim();
        projectDomainName = blankToNull(projectDomainName) == null ? "Default" : projectDomainName.trim();
        cacheTime = cacheTime == null ? Duration.ofSeconds(300) : cacheTime;
        cacheSize = cacheSize == null ? 10_000 : cacheSize;
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        if (cacheTime.isNegative() || cacheSize < 1 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("trovej.keystone: cache-time must not be negative, cache-size must be "
                    + "at least 1 and timeout positive");
        }
    }

    /** Refuses to start keystone mode without what it needs, naming the environment variables. */
    void requireComplete() {
        StringBuilder missing = new StringBuilder();
        if (authUrl == null) {
            missing.append(" TROVEJ_KEYSTONE_AUTH_URL (trovej.keystone.auth-url)");
        }
        if (username == null) {
            missing.append(" TROVEJ_KEYSTONE_USERNAME (trovej.keystone.username)");
        }
        if (password == null || password.isEmpty()) {
            missing.append(" TROVEJ_KEYSTONE_PASSWORD (trovej.keystone.password)");
        }
        if (projectName == null) {
            missing.append(" TROVEJ_KEYSTONE_PROJECT_NAME (trovej.keystone.project-name)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("trovej.auth.strategy=keystone needs:" + missing
                    + " (or TROVEJ_AUTH_STRATEGY=noauth for a machine nobody else reaches)");
        }
    }

    /** The identity v3 base, without a trailing slash. */
    String identityUrl() {
        String url = authUrl.endsWith("/") ? authUrl.substring(0, authUrl.length() - 1) : authUrl;
        return url.endsWith("/v3") ? url : url + "/v3";
    }

    String challengeUri() {
        return wwwAuthenticateUri == null ? authUrl : wwwAuthenticateUri;
    }

    @Override
    public String toString() { // never the password
        return "KeystoneProperties[authUrl=" + authUrl + ", username=" + username + ", projectName=" + projectName
                + ", cacheTime=" + cacheTime + ", cacheSize=" + cacheSize + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
