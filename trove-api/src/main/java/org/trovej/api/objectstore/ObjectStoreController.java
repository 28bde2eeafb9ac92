package org.trovej.api.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * TroveJ's local object store: the subset of Swift's HTTP API ({@code /v1/AUTH_<project>/<container>/<object>})
 * that guests write backups to. Outside the Trove API's {@code /v1.0}: none of its authentication interceptor,
 * rate limits, body-size limit or JSON-only rules apply here; bodies stream in and out, and every error is a
 * short plain-text body with Swift's status.
 */
@RestController
public class ObjectStoreController {

    /** Where the store's routes start; the Trove API's own are under {@code /v1.0/}. */
    public static final String ROOT = StorePath.ROOT + "AUTH_";

    private static final Logger log = LoggerFactory.getLogger(ObjectStoreController.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter LISTING_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private final LocalObjectStore store;
    private final StoreAccess access;

    public ObjectStoreController(LocalObjectStore store, StoreAccess access) {
        this.store = store;
        this.access = access;
    }

    @RequestMapping({"/v1/AUTH_{project}", "/v1/AUTH_{project}/**"})
    public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            StorePath path = StorePath.parse(request.getRequestURI().substring(request.getContextPath().length()));
            StoreCaller caller = access.caller(request, path.project());
            if (path.container() == null) {
                account(request, response, path.project(), caller);
            } else if (path.object() == null) {
                container(request, response, path, caller);
            } else {
                object(request, response, path, caller);
            }
        } catch (StoreException e) {
            if (e.status() == 499) {
                // the client went away mid-body: nobody to answer, and the upload file is already gone
                log.info("{} {}: the client disconnected before the body was complete", request.getMethod(),
                        request.getRequestURI());
                return;
            }
            if (e.status() >= 500) {
                log.warn("{} {}: {} {}", request.getMethod(), request.getRequestURI(), e.status(), e.getMessage());
            } else {
                log.debug("{} {}: {} {}", request.getMethod(), request.getRequestURI(), e.status(), e.getMessage());
            }
            plain(response, e.status(), e.getMessage());
        } catch (UncheckedIOException e) {
            log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
            plain(response, 500, "Internal Server Error");
        }
    }

    /** The account: its containers (a grant sees only its own); a store account needs no creating. */
    private void account(HttpServletRequest request, HttpServletResponse response, String project,
                         StoreCaller caller) throws IOException {
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            throw new StoreException(405, "Method Not Allowed");
        }
        List<String> containers = store.containers(project).stream()
                .filter(container -> caller.allows(container, null)).toList();
        response.setHeader("X-Account-Container-Count", Integer.toString(containers.size()));
        if (request.getMethod().equals("HEAD")) {
            response.setStatus(204);
        } else if (wantsJson(request)) {
            List<Map<String, Object>> body = new ArrayList<>();
            for (String container : containers) {
                LocalObjectStore.ContainerStats stats = store.stats(project, container);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("name", container);
                line.put("count", stats.objects());
                line.put("bytes", stats.bytes());
                body.add(line);
            }
            write(response, 200, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
        } else if (containers.isEmpty()) {
            response.setStatus(204);
        } else {
            plain(response, 200, String.join("\n", containers) + "\n");
        }
    }

    private static boolean wantsJson(HttpServletRequest request) {
        String format = request.getParameter("format");
        String accept = request.getHeader("Accept");
        return "json".equals(format) || (format == null && accept != null && accept.contains("application/json"));
    }

    private void container(HttpServletRequest request, HttpServletResponse response, StorePath path,
                           StoreCaller caller) throws IOException {
        String project = path.project();
        String container = path.container();
        StoreAccess.require(caller, container, null);
        switch (request.getMethod()) {
            case "PUT" -> plain(response, store.createContainer(project, container) ? 201 : 202, "");
            case "HEAD" -> {
                LocalObjectStore.ContainerStats stats = store.stats(project, container);
                response.setHeader("X-Container-Object-Count", Long.toString(stats.objects()));
                response.setHeader("X-Container-Bytes-Used", Long.toString(stats.bytes()));
                response.setStatus(204);
            }
            case "GET" -> list(request, response, project, container, caller);
            case "DELETE" -> {
                if (!caller.mayDeleteContainer()) {
                    throw new StoreException(403, "Forbidden: a store token cannot delete a container.");
                }
                store.deleteContainer(project, container);
                response.setStatus(204);
            }
            default -> throw new StoreException(405, "Method Not Allowed");
        }
    }

    private void list(HttpServletRequest request, HttpServletResponse response, String project, String container,
                      StoreCaller caller) throws IOException {
        String delimiter = request.getParameter("delimiter");
        if (delimiter != null && delimiter.codePointCount(0, delimiter.length()) != 1) {
            throw StoreException.badRequest("Bad delimiter");
        }
        ContainerListing listing = new ContainerListing(orEmpty(request.getParameter("prefix")),
                blankToNull(request.getParameter("marker")), blankToNull(request.getParameter("end_marker")),
                limit(request.getParameter("limit")), delimiter).within(caller.listingScope(container));
        List<LocalObjectStore.Entry> entries = store.list(project, container, listing);
        if (wantsJson(request)) {
            List<Map<String, Object>> body = new ArrayList<>();
            for (LocalObjectStore.Entry entry : entries) {
                Map<String, Object> line = new LinkedHashMap<>();
                if (entry.subdir() != null) {
                    line.put("subdir", entry.subdir());
                } else {
                    ObjectRecord record = entry.record();
                    line.put("name", record.name());
                    line.put("bytes", record.bytes());
                    line.put("hash", record.etag());
                    line.put("last_modified", LISTING_TIME.format(record.lastModified()));
                    line.put("content_type", record.contentType());
                }
                body.add(line);
            }
            write(response, 200, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
        } else if (entries.isEmpty()) {
            response.setStatus(204);
        } else {
            StringBuilder text = new StringBuilder();
            entries.forEach(entry -> text.append(entry.name()).append('\n'));
            plain(response, 200, text.toString());
        }
    }

    private void object(HttpServletRequest request, HttpServletResponse response, StorePath path,
                        StoreCaller caller) throws IOException {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            StoreAccess.requireRead(caller, path.container(), path.object());
        } else {
            StoreAccess.require(caller, path.container(), path.object());
        }
        String manifestParam = request.getParameter("multipart-manifest");
        switch (request.getMethod()) {
            case "PUT" -> put(request, response, path, caller, "put".equals(manifestParam));
            case "GET", "HEAD" -> get(request, response, path, caller, "get".equals(manifestParam));
            case "DELETE" -> {
                if ("delete".equals(manifestParam)) {
                    deleteManifest(request, response, path, caller);
                } else {
                    store.delete(path.project(), path.container(), path.object());
                    response.setStatus(204);
                }
            }
            default -> throw new StoreException(405, "Method Not Allowed");
        }
    }

    private void put(HttpServletRequest request, HttpServletResponse response, StorePath path, StoreCaller caller,
                     boolean manifest) throws IOException {
        Map<String, String> metadata = ObjectMetadataHeaders.read(request);
        String contentType = request.getContentType();
        ObjectRecord stored;
        String copyFrom = request.getHeader("X-Copy-From");
        if (manifest) {
            List<ObjectRecord.Segment> segments =
                    SloManifest.read(request.getInputStream(), path.project(), store, caller);
            stored = store.putManifest(path.project(), path.container(), path.object(), segments,
                    contentType == null || contentType.startsWith("application/json") ? null : contentType,
                    metadata);
        } else if (copyFrom != null) {
            StorePath source = StorePath.parse(StorePath.ROOT + "AUTH_" + path.project()
                    + (copyFrom.startsWith("/") ? "" : "/") + copyFrom);
            if (source.object() == null) {
                throw StoreException.badRequest("X-Copy-From header must be of the form <container name>/<object name>");
            }
            StoreAccess.requireRead(caller, source.container(), source.object());
            stored = store.copy(path.project(), path.container(), path.object(), source.container(),
                    source.object(), contentType, metadata, caller);
        } else {
            stored = store.put(path.project(), path.container(), path.object(), request.getInputStream(),
                    request.getContentLengthLong(), request.getHeader("ETag"), contentType, metadata);
        }
        response.setHeader("ETag", etag(stored));
        response.setHeader("Last-Modified", lastModified(stored));
        plain(response, 201, "");
    }

    private void get(HttpServletRequest request, HttpServletResponse response, StorePath path, StoreCaller caller,
                     boolean manifestItself) throws IOException {
        boolean head = "HEAD".equals(request.getMethod());
        try (ObjectFile.Opened opened = store.open(path.project(), path.container(), path.object())) {
            ObjectRecord record = opened.record();
            if (manifestItself && record.manifest()) {
                byte[] body = JSON.writeValueAsBytes(record.segments().stream().map(segment -> Map.of(
                        "name", segment.path(), "hash", segment.etag(), "bytes", segment.bytes())).toList());
                response.setHeader("X-Static-Large-Object", "True");
                write(response, 200, "application/json; charset=utf-8", head ? null : body);
                return;
            }
            InputStream content = head ? null : store.content(path.project(), opened, caller);
            response.setStatus(200);
            response.setContentType(record.contentType());
            response.setContentLengthLong(record.bytes());
            response.setHeader("ETag", etag(record));
            response.setHeader("Last-Modified", lastModified(record));
            response.setHeader("X-Timestamp", String.format(Locale.ROOT, "%.5f",
                    record.lastModified().toEpochMilli() / 1000.0));
            response.setHeader("Accept-Ranges", "bytes");
            if (record.manifest()) {
                response.setHeader("X-Static-Large-Object", "True");
            }
            record.metadata().forEach((name, value) -> response.setHeader(ObjectMetadataHeaders.PREFIX + name, value));
            if (content != null) {
                try (content) {
                    send(content, response.getOutputStream(), request);
                }
            }
        }
    }

    /**
     * Streams the content. A failure to read it (a segment gone mid-way) propagates, so the connection is cut
     * and the client sees a short body; a failure to write is the client going away, which is nobody's error.
     */
    private static void send(InputStream content, OutputStream out, HttpServletRequest request) throws IOException {
        byte[] buffer = new byte[LocalObjectStore.BUFFER];
        for (int n; (n = content.read(buffer)) >= 0; ) {
            try {
                out.write(buffer, 0, n);
            } catch (IOException e) {
                log.info("GET {}: the client disconnected before the body was complete", request.getRequestURI());
                return;
            }
        }
        try {
            out.flush();
        } catch (IOException e) {
            log.info("GET {}: the client disconnected before the body was complete", request.getRequestURI());
        }
    }

    private void deleteManifest(HttpServletRequest request, HttpServletResponse response, StorePath path,
                                StoreCaller caller) throws IOException {
        LocalObjectStore.BulkDeleteResult result =
                store.deleteManifest(path.project(), path.container(), path.object(), caller);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Number Deleted", result.deleted());
        body.put("Number Not Found", result.notFound());
        body.put("Response Body", "");
        body.put("Response Status", "200 OK");
        body.put("Errors", List.of());
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains("application/json")) {
            write(response, 200, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
        } else {
            StringBuilder text = new StringBuilder();
            body.forEach((name, value) -> text.append(name).append(": ")
                    .append(value instanceof List<?> ? "" : value).append('\n'));
            plain(response, 200, text.toString());
        }
    }

    private static String etag(ObjectRecord record) {
        // Swift quotes a manifest's ETag (the MD5 of its segments' ETags), not an ordinary object's
        return record.manifest() ? "\"" + record.etag() + "\"" : record.etag();
    }

    private static String lastModified(ObjectRecord record) {
        // HTTP dates have whole seconds; Swift rounds up so that If-Modified-Since after a PUT works
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(record.lastModified().truncatedTo(ChronoUnit.SECONDS)
                .plusSeconds(record.lastModified().getNano() > 0 ? 1 : 0).atZone(ZoneOffset.UTC));
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return ContainerListing.MAX_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw StoreException.badRequest("Invalid limit");
        }
        if (limit < 0) {
            throw StoreException.badRequest("Invalid limit");
        }
        if (limit > ContainerListing.MAX_LIMIT) {
            throw new StoreException(412, "Maximum limit is " + ContainerListing.MAX_LIMIT);
        }
        return limit;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static void plain(HttpServletResponse response, int status, String text) throws IOException {
        write(response, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(HttpServletResponse response, int status, String contentType, byte[] body)
            throws IOException {
        if (response.isCommitted()) {
            throw new IllegalStateException("a store response was started before its outcome was known");
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(contentType);
        if (body != null) {
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
