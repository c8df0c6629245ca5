# syntax=docker/dockerfile:1
# Build with the Maven wrapper, run on a JRE. BuildKit's cache mount keeps the Maven repository between builds.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
# The service and what it is built from; the benchmark harness (bench/) is not part of the image.
# The build's own class-data-sharing archive (-DskipCds) would fit this JDK and these paths only: the runtime stage
# makes its own below.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests -DskipCds -pl service/app -am package
# Spring Boot's layers (dependencies first, the application last), so a code change rebuilds one thin layer; laid out
# as firehose-sse.jar + lib/, which class-data sharing needs (it cannot archive classes from directories).
RUN java -Djarmode=tools -jar service/app/target/firehose-sse.jar extract --layers --destination /extracted

FROM eclipse-temurin:17-jre
# A user with a home of its own (the JVM and the AWS SDK read ~), owning the data directory.
RUN useradd --system --uid 10001 --create-home --home-dir /home/firehose firehose \
    && mkdir -p /var/lib/firehose-sse && chown firehose /var/lib/firehose-sse
WORKDIR /app
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
COPY deploy/docker-entrypoint.sh /app/docker-entrypoint.sh
# The class-data-sharing archive for this JRE and /app: one start and graceful stop (firehose.training-run) on a
# throwaway embedded database, recording every class a start loads. About halves the CPU a start takes.
RUN java -XX:ArchiveClassesAtExit=/app/firehose-sse.jsa -Xlog:cds=error -Xlog:cds+dynamic=error \
        -jar /app/firehose-sse.jar --server.port=0 --spring.datasource.url= --firehose.data-dir=/tmp/training \
        --firehose.training-run=true --spring.main.banner-mode=off --logging.level.root=ERROR \
    && rm -rf /tmp/training
# Everything the service keeps: the embedded PostgreSQL (when no SPRING_DATASOURCE_URL is given), the KMS master
# key file, delivered objects.
ENV FIREHOSE_DATA_DIR=/var/lib/firehose-sse
VOLUME /var/lib/firehose-sse
USER firehose
EXPOSE 8080
# The JRE image has bash but no curl.
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=5 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /actuator/health HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q UP <&3"]
ENTRYPOINT ["/app/docker-entrypoint.sh"]
