package io.firehosesse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.junit.jupiter.api.Test;

class BatchedClaimTokenStoreTest {

    /**
     * The store wraps Axon's: a method of {@link TokenStore} it does not pass on would run the interface's default (which
     * for several of them throws, or does something else than the JDBC store). An Axon upgrade that adds one fails here.
     */
    @Test
    void passesEveryMethodOfTheTokenStoreOnToAxonsStore() {
        List<String> missing = Arrays.stream(TokenStore.class.getDeclaredMethods())
                .filter(method -> !Modifier.isStatic(method.getModifiers()) && !Modifier.isPrivate(method.getModifiers()))
                .filter(method -> !declares(method))
                .map(Method::toString)
                .toList();
        assertThat(missing).isEmpty();
    }

    private static boolean declares(Method method) {
        try {
            BatchedClaimTokenStore.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
