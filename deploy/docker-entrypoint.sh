#!/usr/bin/env bash
# The image's entry point: the extracted Spring Boot application in /app (or APP_HOME), started with JAVA_OPTS and
# any arguments given to `docker run` (--name=value settings). exec, so the JVM gets the container's signals and
# shuts down gracefully on `docker stop`.
set -euo pipefail
cd "${APP_HOME:-/app}"
exec java -XX:MaxRAMPercentage=75 ${JAVA_OPTS:-} org.springframework.boot.loader.launch.JarLauncher "$@"
