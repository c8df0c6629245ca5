package io.firehosesse.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against a firehose-sse started in the test's JVM: on a free port, with its own embedded
 * PostgreSQL under a temporary directory, in open mode (any credentials, every caller in account 123456789012).
 * Test methods, constructors and {@code @BeforeAll}/{@code @BeforeEach} methods may take a
 * {@link FirehoseSseService}, a {@code FirehoseClient} or a {@code KmsClient} as parameters.
 *
 * <p>One service is started per distinct set of {@link #properties()} and shared by every class that asks for
 * it until the test run ends, so state stays from class to class unless {@link #reset()} says otherwise.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(FirehoseSseExtension.class)
public @interface FirehoseSse {

    /** When the service is returned to empty (no streams, keys, grants, records or sessions) for this class. */
    Reset reset() default Reset.NEVER;

    /**
     * Service settings as {@code name=value} (see the service's docs/configuration.md), e.g.
     * {@code "firehose.account-id=111122223333"} or {@code "spring.datasource.url=jdbc:postgresql://…"} for a
     * PostgreSQL server of your own instead of the embedded one.
     */
    String[] properties() default {};

    enum Reset {
        /** Never: the class sees whatever the classes before it left. */
        NEVER,
        /** Once, before the class's first test. */
        BEFORE_CLASS,
        /** Before every test of the class. */
        BEFORE_EACH
    }
}
