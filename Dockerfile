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
# size the heap from the container's memory limit; die (and be restarted) rather than limp on after an OOM;
# ParallelGC: for these small request/response services it gives about twice G1's throughput on 2 cores
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:+UseParallelGC"
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
