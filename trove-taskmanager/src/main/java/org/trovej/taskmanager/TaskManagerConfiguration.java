package org.trovej.taskmanager;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.trovej.taskmanager.replication.ReplicationProperties;
import org.trovej.taskmanager.pitr.PointInTimeProperties;
import org.trovej.taskmanager.schedule.BackupScheduleProperties;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({TaskManagerProperties.class, ReplicationProperties.class,
        BackupScheduleProperties.class, PointInTimeProperties.class})
public class TaskManagerConfiguration {
}
