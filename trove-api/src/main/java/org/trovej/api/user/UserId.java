package org.trovej.api.user;

import org.trovej.api.web.PythonUrl;

/**
 * The {@code {user}} path segment as Trove reads it (unquote_user_host): url-decoded once more (the router has
 * already decoded the path), then split on the last {@code @}; no {@code @}, or a trailing one, means host
 * {@code %} and the whole text is the name.
 *
 * @param id the segment as the router decoded it: what Trove's "cannot be found" message names
 */
record UserId(String id, String name, String host) {

    static UserId parse(String segment) {
        String unquoted = PythonUrl.unquote(segment);
        int at = unquoted.lastIndexOf('@');
        if (at < 0 || at == unquoted.length() - 1) {
            return new UserId(segment, unquoted, "%");
        }
        return new UserId(segment, unquoted.substring(0, at), unquoted.substring(at + 1));
    }
}
