package io.firehosesse.platform;

import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

/**
 * A transaction takes a pooled connection at its first statement, not when it begins. Axon begins a
 * command's transaction before it takes the aggregate's lock, so with eager connections every command
 * queued behind a busy stream held a connection doing nothing: 20 callers on one stream emptied the
 * pool, and the lock holder, which needs a connection of its own after commit (Axon stores the snapshot
 * then), waited for one until the pool gave up (5 s) while every other request got 503. Lazily, a
 * queued command holds nothing, and a hot stream can no longer starve the rest of the service.
 */
@Configuration(proxyBeanMethods = false)
class LazyConnections {

    @Bean
    static BeanPostProcessor lazyConnectionDataSource() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof DataSource pool && !(bean instanceof LazyConnectionDataSourceProxy)
                        ? new ClosingProxy(pool) : bean;
            }
        };
    }

    /** Spring closes a bean it can see is closeable: the pool behind this proxy must still close with the context. */
    static final class ClosingProxy extends LazyConnectionDataSourceProxy implements AutoCloseable {

        ClosingProxy(DataSource pool) {
            super(pool);
        }

        @Override
        public void close() throws Exception {
            if (obtainTargetDataSource() instanceof AutoCloseable pool) {
                pool.close();
            }
        }
    }
}
