# One image recipe for the control-plane services; docker-compose.yml builds it once per service with
#   --build-arg MODULE=trove-api | trove-taskmanager | trove-conductor
# from the executable jar Maven made (mvn -B -DskipTests -pl trove-api,trove-taskmanager,trove-conductor -am
# package), so the image build needs no Maven.
FROM eclipse-temurin:17-jre

ARG MODULE
RUN test -n "${MODULE}" || { echo "build with --build-arg MODULE=trove-api|trove-taskmanager|trove-conductor" >&2; exit 1; }
RUN groupadd --system trovej && useradd --system --gid trovej --home-dir /app --no-create-home trovej

WORKDIR /app
COPY ${MODULE}/target/${MODULE}-*-exec.jar /app/app.jar

USER trovej
# Heap, metaspace, code cache and direct memory bounded as scripts/trovej bounds the all-in-one (each service here
# is a part of it, so it fits in less: ~450 MB RSS at most; docker-compose gives each 640 MB), whatever memory the
# host or the container has: a percentage of an unlimited container is a percentage of the host. Die (and be
# restarted) rather than limp on after an OOM. ParallelGC: for these small request/response services about twice
# G1's throughput on 2 cores. Larger deployments raise -Xmx (docs/operations.md#memory).
ENV JAVA_TOOL_OPTIONS="-Xms64m -Xmx256m -XX:MaxMetaspaceSize=192m -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m -Xss512k -XX:+ExitOnOutOfMemoryError -XX:+UseParallelGC"
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
