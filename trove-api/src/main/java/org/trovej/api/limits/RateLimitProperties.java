package org.trovej.api.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Trove's API rate limits under {@code trovej.rate-limit} ({@code http_get_rate}, {@code http_post_rate},
 * {@code http_put_rate}, {@code http_delete_rate}, {@code http_mgmt_post_rate}: requests per minute per project).
 * Off unless {@code enabled}: the embedded default is a single user's tool. {@code GET /limits} shows the
 * configured rates either way.
 */
@ConfigurationProperties(prefix = "trovej.rate-limit")
public record RateLimitProperties(Boolean enabled, Integer get, Integer post, Integer put, Integer delete,
                                  Integer mgmtPost) {

    public RateLimitProperties {
        enabled = enabled != null && enabled;
        get = get == null ? 200 : get;
        post = post == null ? 200 : post;
        put = put == null ? 200 : put;
        delete = delete == null ? 200 : delete;
        mgmtPost = mgmtPost == null ? 200 : mgmtPost;
        if (get < 1 || post < 1 || put < 1 || delete < 1 || mgmtPost < 1) {
            throw new IllegalArgumentException("trovej.rate-limit: every rate must be at least 1 per minute");
        }
    }
}
