package io.firehosesse.platform;

import java.nio.file.Path;
import java.util.Optional;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Holds the embedded PostgreSQL {@link DatabaseBootstrap} started, if it started one: the connection pool depends on
 * this bean, so it is made only once the server's background start has finished, and destroyed before the server
 * stops when the context closes.
 *
 * <p>Always declared, and decides at run time whether there is a server to hold: the build's ahead-of-time
 * processing (docs/benchmarks.md, "Start-up") fixes the set of beans when the service is built, while whether the
 * database is embedded is known only when it starts.
 */
@Configuration(proxyBeanMethods = false)
class EmbeddedDatabaseLifecycle {

    static final String BEAN = "embeddedDatabase";

    @Bean(name = BEAN, destroyMethod = "release")
    Hold embeddedDatabase(Environment environment) {
        String configured = environment.getProperty(DatabaseBootstrap.EMBEDDED_DATA_DIRECTORY);
        if (configured == null) {
            return new Hold(Optional.empty());
        }
        Path directory = Path.of(configured);
        EmbeddedDatabase database = EmbeddedDatabase.running(directory).orElseThrow(() -> new IllegalStateException(
                "The embedded PostgreSQL of " + directory + " is not running in this JVM"));
        database.awaitStarted();
        database.acquire();
        return new Hold(Optional.of(database));
    }

    /** The embedded server this context uses, or none when the service was given a database. */
    record Hold(Optional<EmbeddedDatabase> database) {

        void release() {
            database.ifPresent(EmbeddedDatabase::release);
        }
    }

    @Bean
    static BeanFactoryPostProcessor dataSourceAfterEmbeddedDatabase() {
        return beanFactory -> {
            for (String name : beanFactory.getBeanNamesForType(javax.sql.DataSource.class, true, false)) {
                BeanDefinition definition = beanFactory.getBeanDefinition(name);
                String[] dependsOn = definition.getDependsOn();
                String[] more = dependsOn == null ? new String[] {BEAN} : append(dependsOn, BEAN);
                definition.setDependsOn(more);
            }
        };
    }

    private static String[] append(String[] names, String name) {
        String[] more = java.util.Arrays.copyOf(names, names.length + 1);
        more[names.length] = name;
        return more;
    }
}
