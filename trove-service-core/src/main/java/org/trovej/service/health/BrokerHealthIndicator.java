package org.trovej.service.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.trovej.common.rpc.RpcTransport;

/**
 * The broker connection every service depends on, as a health component ({@code broker}, part of readiness) and as
 * the gauge {@code trovej_broker_connected}: a service that lost its broker takes no casts and sends no replies,
 * although its process is alive. Declared by {@code RpcConfiguration}, beside the connection it watches.
 */
public class BrokerHealthIndicator extends AbstractHealthIndicator {

    private final RpcTransport transport;

    public BrokerHealthIndicator(RpcTransport transport, MeterRegistry registry) {
        super("Broker health check failed");
        this.transport = transport;
        Gauge.builder("trovej.broker.connected", transport, t -> t.isOpen() ? 1 : 0)
                .description("1 while the AMQP connection to the broker is open")
                .register(registry);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.status(transport.isOpen() ? "UP" : "DOWN")
                .withDetail("product", transport.isRabbitMq() ? "RabbitMQ" : "AMQP 0-9-1")
                .withDetail("exchange", transport.exchange());
    }
}
