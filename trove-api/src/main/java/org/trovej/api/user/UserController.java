package org.trovej.api.user;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.web.Link;
import org.trovej.api.web.NextPage;
import org.trovej.api.web.PythonUrl;
import org.trovej.api.web.RequestIdFilter;
import org.trovej.common.json.PythonJson;

/**
 * {@code /v1.0/{project}/instances/{id}/users} and a user's {@code databases}: lists and shows answer 200, every
 * change 202 without a body. The {@code {user}} segment is {@code name@host} (host {@code %} when absent), see
 * {@link UserId}.
 */
@RestController
@RequestMapping("/v1.0/{projectId}/instances/{instanceId}/users")
public class UserController {

    private final UserService users;

    public UserController(UserService users) {
        this.users = users;
    }

    @GetMapping
    public UserViews.UserList index(AuthContext caller, HttpServletRequest request, @PathVariable String instanceId,
                                    @RequestParam(required = false) String limit,
                                    @RequestParam(required = false) String marker) {
        UserService.Page page = users.list(caller, instanceId, limit, marker, RequestIdFilter.requestId(request));
        // Trove quotes the marker before the link's query is encoded: user@host reads user%2540host there
        List<Link> next = page.nextMarker() == null ? null
                : NextPage.links(request, PythonUrl.quote(page.nextMarker()));
        return new UserViews.UserList(page.users().stream().map(UserViews.UserView::of).toList(), next);
    }

    @PostMapping
    public ResponseEntity<Void> create(AuthContext caller, HttpServletRequest request, @PathVariable String instanceId,
                                       @RequestBody(required = false) JsonNode body) {
        users.create(caller, instanceId, orEmpty(body), RequestIdFilter.requestId(request));
        return ResponseEntity.accepted().build();
    }

    /** Changes the passwords of one or more users (Trove's update_all). */
    @PutMapping
    public ResponseEntity<Void> changePasswords(AuthContext caller, HttpServletRequest request,
                                                @PathVariable String instanceId,
                                                @RequestBody(required = false) JsonNode body) {
        users.changePasswords(caller, instanceId, orEmpty(body), RequestIdFilter.requestId(request));
        return ResponseEntity.accepted().build();
    }

    @GetMapping("/{user}")
    public UserViews.UserShow show(AuthContext caller, HttpServletRequest request, @PathVariable String instanceId,
                                   @PathVariable String user) {
        return new UserViews.UserShow(UserViews.UserView.of(users.show(caller, instanceId, user,
                RequestIdFilter.requestId(request))));
    }

    @PutMapping("/{user}")
    public ResponseEntity<Void> update(AuthContext caller, HttpServletRequest request, @PathVariable String instanceId,
                                       @PathVariable String user, @RequestBody(required = false) JsonNode body) {
        users.update(caller, instanceId, user, orEmpty(body), RequestIdFilter.requestId(request));
        return ResponseEntity.accepted().build();
    }

    @DeleteMapping("/{user}")
    public ResponseEntity<Void> delete(AuthContext caller, HttpServletRequest request, @PathVariable String instanceId,
                                       @PathVariable String user) {
        users.delete(caller, instanceId, user, RequestIdFilter.requestId(request));
        return ResponseEntity.accepted().build();
    }

    @GetMapping("/{user}/databases")
    public UserViews.AccessList access(AuthContext caller, HttpServletRequest request,
                                       @PathVariable String instanceId, @PathVariable String user) {
        return UserViews.AccessList.of(users.access(caller, instanceId, user, RequestIdFilter.requestId(request)));
    }

    @PutMapping("/{user}/databases")
    public ResponseEntity<Void> grant(AuthContext caller, HttpServletRequest request, @PathVariable String instanceId,
                                      @PathVariable String user, @RequestBody(required = false) JsonNode body) {
        users.grant(caller, instanceId, user, orEmpty(body), RequestIdFilter.requestId(request));
        return ResponseEntity.accepted().build();
    }

    @DeleteMapping("/{user}/databases/{database}")
    public ResponseEntity<Void> revoke(AuthContext caller, HttpServletRequest request, @PathVariable String instanceId,
                                       @PathVariable String user, @PathVariable String database) {
        users.revoke(caller, instanceId, user, database, RequestIdFilter.requestId(request));
        return ResponseEntity.accepted().build();
    }

    private static JsonNode orEmpty(JsonNode body) {
        return body == null ? PythonJson.object() : body;
    }
}
