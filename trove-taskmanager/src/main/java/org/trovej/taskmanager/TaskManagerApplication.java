package org.trovej.taskmanager;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** trove-taskmanager on its own. */
@SpringBootApplication
public class TaskManagerApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(TaskManagerApplication.class);
        app.setAdditionalProfiles("taskmanager");
        app.run(args);
    }
}
