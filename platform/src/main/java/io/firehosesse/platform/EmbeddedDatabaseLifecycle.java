package io.firehosesse.platform;

import java.nio.file.Path;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Stops the embedded PostgreSQL {@link DatabaseBootstrap} started, when the context closes: after the connection
 * pool and everything that uses it (the pool is made to depend on this bean, so it is destroyed first).
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
