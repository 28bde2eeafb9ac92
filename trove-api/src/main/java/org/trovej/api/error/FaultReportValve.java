package org.trovej.api.error;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's own error page, for what Tomcat refuses before any servlet runs (a malformed request line, a path
 * its URI checks reject): a Trove fault body instead of Tomcat's HTML, and for the object store
 * ({@code /v1/AUTH_...}) a plain-text body as Swift writes. Errors raised inside the application never get here:
 * {@link FaultErrorController} and the store write those.
 */
public class FaultReportValve extends ErrorReportValve {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The object store's paths; the Trove API's are under {@code /v1.0/}. */
    private static final String STORE_PATHS = "/v1/AUTH_";

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String uri = request.getRequestURI();
        boolean store = uri != null && uri.startsWith(STORE_PATHS);
        String body;
        try {
            if (store) {
                response.setContentType("text/plain");
                body = status + " " + Faults.explanation(status) + "\n";
            } else {
                response.setContentType("application/json");
                body = JSON.writeValueAsString(Faults.response(status).getBody());
            }
            response.setCharacterEncoding("utf-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response cannot take a body any more: nothing to tell anyone
        }
    }
}
