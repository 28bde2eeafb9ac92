package org.trovej.api.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.io.IOException;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.catalina.connector.ClientAbortException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

/**
 * A client that closes its connection while the answer is written (wrk stopping, a browser tab closed) was logged
 * at ERROR with a stack trace, as if the server had failed; it is not an error of this side.
 */
class ClientGoneTest {

    @RestController
    static class Writing {
        @GetMapping("/gone/{how}")
        String gone(@PathVariable String how) throws IOException {
            throw how.equals("abort") ? new ClientAbortException("java.io.IOException: Broken pipe")
                    : new AsyncRequestNotUsableException("ServletOutputStream failed to write: Broken pipe");
        }
    }

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger faults = (Logger) LoggerFactory.getLogger(FaultHandler.class);

    @BeforeEach
    void listen() {
        logs.start();
        faults.addAppender(logs);
    }

    @AfterEach
    void stopListening() {
        faults.detachAppender(logs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abort", "unusable"})
    void aClientGoneIsNoError(String how) throws Exception {
        MockMvc mvc = MockMvcBuilders.standaloneSetup(new Writing()).setControllerAdvice(new FaultHandler()).build();
        mvc.perform(get("/gone/" + how));
        assertThat(logs.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
    }
}
