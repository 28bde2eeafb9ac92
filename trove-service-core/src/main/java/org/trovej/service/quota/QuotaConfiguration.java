package org.trovej.service.quota;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The quota engine wherever the control-plane database is: the API checks requests against it, the task manager
 * the backups it starts on its own (schedules). One engine, so both count alike.
 */
@AutoConfiguration(after = {JdbcTemplateAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
        TransactionAutoConfiguration.class})
@ConditionalOnBean(JdbcTemplate.class)
@EnableConfigurationProperties(QuotaProperties.class)
@Import({QuotaService.class, QuotaRecords.class})
public class QuotaConfiguration {
}
