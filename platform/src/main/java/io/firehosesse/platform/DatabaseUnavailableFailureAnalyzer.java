package io.firehosesse.platform;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an unreachable database into Spring Boot's short start-up report instead of a stack trace. */
class DatabaseUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<DatabaseUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DatabaseUnavailableException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Start PostgreSQL (or `docker compose up postgres`), or point spring.datasource.url"
                        + " (SPRING_DATASOURCE_URL) at a running server. Current URL: " + cause.url(),
                cause);
    }
}
