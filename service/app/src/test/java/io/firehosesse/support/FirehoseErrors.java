package io.firehosesse.support;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

/** Matches a domain exception by the AWS error it will become, and a part of its message. */
public final class FirehoseErrors {

    private FirehoseErrors() {
    }

    public static Matcher<FirehoseException> error(FirehoseErrorCode code, String messagePart) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(FirehoseException e) {
                return e.code() == code && e.getMessage().contains(messagePart);
            }

            @Override
            public void describeTo(Description description) {
                description.appendText(code + " with a message containing ").appendValue(messagePart);
            }
        };
    }
}
