package org.trovej.api.user;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import org.trovej.common.guest.GuestSchema;
import org.trovej.common.guest.GuestUser;
import org.trovej.api.web.Link;

/** Trove's UserView, UsersView and UserAccessView: never a password. */
public final class UserViews {

    private UserViews() {
    }

    public record DatabaseRef(String name) {
    }

    public record UserView(String name, String host, List<DatabaseRef> databases) {
        public static UserView of(GuestUser user) {
            return new UserView(user.name(), user.host(), refs(user.databases()));
        }
    }

    public record UserShow(UserView user) {
    }

    /** {@code links} only when there is a next page. */
    @JsonInclude(Include.NON_NULL)
    public record UserList(@JsonInclude(Include.ALWAYS) List<UserView> users, List<Link> links) {
    }

    public record AccessList(List<DatabaseRef> databases) {
        public static AccessList of(List<GuestSchema> databases) {
            return new AccessList(refs(databases));
        }
    }

    private static List<DatabaseRef> refs(List<GuestSchema> databases) {
        return databases.stream().map(db -> new DatabaseRef(db.name())).toList();
    }
}
