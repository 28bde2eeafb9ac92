package org.trovej.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** trove-api on its own: the Trove v1.0 REST API, by default on port 8779 (see {@link ApiDefaults}). */
@SpringBootApplication
public class ApiApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(ApiApplication.class);
        app.setAdditionalProfiles("api");
        app.run(args);
    }
}
