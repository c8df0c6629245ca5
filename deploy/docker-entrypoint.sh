#!/usr/bin/env bash
# The image's entry point: the extracted Spring Boot application in /app (or APP_HOME), with the class-data-sharing
# archive made when the image was built, started with JAVA_OPTS and any arguments given to `docker run`
# (--name=value settings). exec, so the JVM gets the container's signals and shuts down gracefully on `docker stop`.
# The JIT keeps all its tiers here: a container serves for long.
set -euo pipefail
cd "${APP_HOME:-/app}"
exec java -XX:MaxRAMPercentage=75 -XX:SharedArchiveFile=firehose-sse.jsa ${JAVA_OPTS:-} -jar firehose-sse.jar "$@"
