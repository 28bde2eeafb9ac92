package org.trovej.allinone.acceptance;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One all-in-one for every acceptance class that asks for it ({@code @ExtendWith(SharedAllInOne.class)} and an
 * {@link AllInOneUnderTest} parameter on its {@code @BeforeAll}): starting one costs 15-25 s on this machine, and
 * the classes keep to their own projects and delete their own instances. It lives in JUnit's root store, which
 * closes it (powering its local servers off and removing its state directory) when the test run ends.
 * <p>
 * It runs with automatic failover on (after 20 s of a source's silence), which {@link ReplicationCliScenario} needs
 * and which touches no other class: only sources with replicas fail over; and with point-in-time restore's WAL
 * shipped every 2 s ({@link PointInTimeRestoreCliTest}), which only instances with a backup do.
 */
final class SharedAllInOne implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedAllInOne.class);

    /** The store's handle: JUnit closes it at the end of the run. */
    private record Handle(AllInOneUnderTest allInOne) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            allInOne.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == AllInOneUnderTest.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("all-in-one",
                key -> new Handle(AllInOneUnderTest.start("trovej-acceptance",
                        "--trovej.replication.automatic-failover=true", "--trovej.replication.failover-after=20s",
                        "--trovej.pitr.ship-interval=2s", "--trovej.pitr.poll-interval=1s")), Handle.class).allInOne();
    }
}
