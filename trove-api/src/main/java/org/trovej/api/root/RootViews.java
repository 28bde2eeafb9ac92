package org.trovej.api.root;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Trove's RootEnabledView and RootCreatedView. */
public final class RootViews {

    private RootViews() {
    }

    public record RootEnabled(@JsonProperty("rootEnabled") boolean rootEnabled) {
    }

    /** The one response that carries a password: the root user's, just enabled. */
    public record RootUser(String name, String password) {
        @Override
        public String toString() {
            return "RootUser[name=" + name + "]";
        }
    }

    public record RootCreated(RootUser user) {
    }
}
