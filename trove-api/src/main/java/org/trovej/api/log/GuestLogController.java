package org.trovej.api.log;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.web.RequestIdFilter;
import org.trovej.common.json.PythonJson;
import org.trovej.common.log.GuestLogInfo;

/**
 * {@code /v1.0/{project}/instances/{id}/log}: the list ({@code {"logs": [...]}}) and one log's show, enable,
 * disable, publish and discard ({@code {"log": {...}}}), both 200 as in Trove.
 */
@RestController
@RequestMapping("/v1.0/{projectId}/instances/{instanceId}/log")
public class GuestLogController {

    private final GuestLogService logs;

    public GuestLogController(GuestLogService logs) {
        this.logs = logs;
    }

    @GetMapping
    public ObjectNode index(AuthContext caller, HttpServletRequest request, @PathVariable String instanceId) {
        List<GuestLogInfo> list = logs.list(caller, instanceId, RequestIdFilter.requestId(request));
        ObjectNode body = PythonJson.object();
        ArrayNode array = body.putArray("logs");
        list.forEach(entry -> array.add(entry.toWire()));
        return body;
    }

    @PostMapping
    public ObjectNode action(AuthContext caller, HttpServletRequest request, @PathVariable String instanceId,
                             @RequestBody(required = false) JsonNode body) {
        GuestLogInfo log = logs.act(caller, instanceId, body == null ? PythonJson.object() : body,
                RequestIdFilter.requestId(request));
        ObjectNode out = PythonJson.object();
        out.set("log", log.toWire());
        return out;
    }
}
