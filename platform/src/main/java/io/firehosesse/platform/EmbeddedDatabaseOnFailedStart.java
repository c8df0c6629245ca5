package io.firehosesse.platform;

import java.nio.file.Path;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.context.ApplicationListener;

/** A start that failed does not leave the embedded PostgreSQL it started running behind it. */
public class EmbeddedDatabaseOnFailedStart implements ApplicationListener<ApplicationFailedEvent> {

    @Override
    public void onApplicationEvent(ApplicationFailedEvent event) {
        if (event.getApplicationContext() == null) {
            return;
        }
        String directory = event.getApplicationContext().getEnvironment().getProperty(DatabaseBootstrap.EMBEDDED_DATA_DIRECTORY);
        if (directory != null) {
            EmbeddedDatabase.running(Path.of(directory)).ifPresent(EmbeddedDatabase::stopIfUnused);
        }
    }
}
