# Build with the Maven wrapper, run on a JRE.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY service/api/pom.xml service/api/pom.xml
COPY platform/pom.xml platform/pom.xml
COPY service/app/pom.xml service/app/pom.xml
COPY read-model/pom.xml read-model/pom.xml
COPY migrations/pom.xml migrations/pom.xml
COPY bench/pom.xml bench/pom.xml
RUN ./mvnw -B -q dependency:go-offline -DexcludeReactor=true || true
COPY . .
# The service and what it is built from; the benchmark harness (bench/) is not part of the image.
RUN ./mvnw -B -q -DskipTests -pl service/app -am package

FROM eclipse-temurin:17-jre
WORKDIR /app
RUN useradd --system --uid 10001 firehose && mkdir -p /var/lib/firehose-sse && chown firehose /var/lib/firehose-sse
COPY --from=build /src/service/app/target/firehose-sse.jar /app/firehose-sse.jar
USER firehose
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/firehose-sse.jar"]
