package org.trovej.taskmanager;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The task manager's settings, under {@code trovej.taskmanager}.
 *
 * @param buildTimeout  a build not ACTIVE and healthy by then fails (Trove's {@code usage_timeout})
 * @param pollInterval  how often builds in progress are checked (Trove's {@code usage_sleep_time} is 5 s)
 * @param flowLease     how long a task manager's claim on a flow holds without renewal: after a crash, another
 *                      task manager (or the restarted one) takes the flow over once it has run out
 * @param recoveryGrace a flow whose task manager is gone and whose request never came back is resumed from its
 *                      stored step after this long (creates cannot be: their passwords are not stored)
 * @param flowWorkers   flows running at once
 * @param rpcWorkers    threads taking messages off the task manager topic
 * @param autoStartup   consume the task manager topic as soon as the application is up
 */
@ConfigurationProperties(prefix = "trovej.taskmanager")
public record TaskManagerProperties(Duration buildTimeout, Duration pollInterval, Duration flowLease,
                                    Duration recoveryGrace, Integer flowWorkers, Integer rpcWorkers,
                                    Boolean autoStartup) {

    public TaskManagerProperties {
        buildTimeout = buildTimeout == null ? Duration.ofMinutes(10) : buildTimeout;
        pollInterval = pollInterval == null ? Duration.ofMillis(250) : pollInterval;
        flowLease = flowLease == null ? Duration.ofSeconds(30) : flowLease;
        recoveryGrace = recoveryGrace == null ? Duration.ofMinutes(2) : recoveryGrace;
        flowWorkers = flowWorkers == null ? 16 : flowWorkers;
        rpcWorkers = rpcWorkers == null ? 4 : rpcWorkers;
        autoStartup = autoStartup == null ? Boolean.TRUE : autoStartup;
        if (flowLease.toMillis() < 1000) {
            throw new IllegalArgumentException("trovej.taskmanager.flow-lease must be at least 1s");
        }
    }
}
