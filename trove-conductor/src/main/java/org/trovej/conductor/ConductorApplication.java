package org.trovej.conductor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** trove-conductor on its own: consumes the {@code trove-conductor} topic and records what guests report. */
@SpringBootApplication
public class ConductorApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(ConductorApplication.class);
        app.setAdditionalProfiles("conductor");
        app.run(args);
    }
}
