package io.firehosesse.platform;

import java.nio.file.Path;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Holds the embedded PostgreSQL {@link DatabaseBootstrap} started: the connection pool depends on this bean, so it
 * is made only once the server's background start has finished, and destroyed before the server stops when the
 * context closes.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(DatabaseBootstrap.EMBEDDED_DATA_DIRECTORY)
class EmbeddedDatabaseLifecycle {

    static final String BEAN = "embeddedDatabase";

    @Bean(name = BEAN, destroyMethod = "release")
    EmbeddedDatabase embeddedDatabase(Environment environment) {
        Path directory = Path.of(environment.getRequiredProperty(DatabaseBootstrap.EMBEDDED_DATA_DIRECTORY));
        EmbeddedDatabase database = EmbeddedDatabase.running(directory).orElseThrow(() -> new IllegalStateException(
                "The embedded PostgreSQL of " + directory + " is not running in this JVM"));
        database.awaitStarted();
        database.acquire();
        return database;
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
