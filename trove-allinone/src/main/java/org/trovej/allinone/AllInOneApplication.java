package org.trovej.allinone;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.trovej.allinone.embedded.EmbeddedInfrastructure;
import org.trovej.api.ApiApplication;
import org.trovej.conductor.ConductorApplication;
import org.trovej.taskmanager.TaskManagerApplication;

/**
 * The API, the task manager and the conductor in one JVM, sharing one broker connection and one connection
 * pool. By default PostgreSQL and the AMQP broker are embedded too (see {@link EmbeddedInfrastructure}), so
 * {@code java -jar trove-allinone-*-exec.jar} needs nothing installed.
 *
 * <p>The scan lists the service packages rather than all of {@code org.trovej}, so test helpers and whatever
 * else shares the base package stay out; the services' own application classes are found by it and add
 * nothing twice (same classes, same bean names; auto-configuration is imported once).
 */
@SpringBootApplication(scanBasePackageClasses = {AllInOneApplication.class, ApiApplication.class,
        TaskManagerApplication.class, ConductorApplication.class})
public class AllInOneApplication {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = application().run(args);
        SignalShutdown.install(context);
    }

    /** The application as {@link #main} runs it; tests start it the same way. */
    public static SpringApplication application() {
        SpringApplication app = new SpringApplication(AllInOneApplication.class);
        app.setAdditionalProfiles("allinone");
        app.addInitializers(new EmbeddedInfrastructure());
        return app;
    }
}
