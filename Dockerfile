# syntax=docker/dockerfile:1
# Build with the Maven wrapper, run on a JRE. BuildKit's cache mount keeps the Maven repository between builds.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
# The service and what it is built from; the benchmark harness (bench/) is not part of the image.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests -pl service/app -am package
# Spring Boot's layers (dependencies first, the application last), so a code change rebuilds one thin layer.
RUN java -Djarmode=tools -jar service/app/target/firehose-sse.jar extract --layers --launcher --destination /extracted

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
