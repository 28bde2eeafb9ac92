package org.trovej.service.pitr;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/** Point-in-time restore's reading wherever the control-plane database is (the API and the task manager). */
@AutoConfiguration(after = JdbcTemplateAutoConfiguration.class)
@ConditionalOnBean(JdbcTemplate.class)
public class PointInTimeConfiguration {

    @Bean
    RestorePoints restorePoints(JdbcTemplate jdbc) {
        return new RestorePoints(jdbc);
    }
}
