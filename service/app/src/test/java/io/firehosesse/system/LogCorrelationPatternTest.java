package io.firehosesse.system;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;

/** The text format's {@code logging.pattern.correlation}: what a line shows of its call, and nothing outside one. */
class LogCorrelationPatternTest {

    @Test
    void showsTheRequestIdAndPrincipalOfTheCall() throws Exception {
        assertThat(render(Map.of("requestId", "5f50773d", "principal", "arn:aws:iam::111111111111:user/alice",
                "accessKeyId", "AKIAALICE00000000001"))).isEqualTo("[5f50773d arn:aws:iam::111111111111:user/alice] ");
    }

    @Test
    void showsTheRequestIdAloneWhenNoPrincipalIsKnown() throws Exception {
        assertThat(render(Map.of("requestId", "5f50773d"))).isEqualTo("[5f50773d] ");
    }

    @Test
    void showsNothingOutsideACall() throws Exception {
        assertThat(render(Map.of())).isEmpty();
    }

    private static String render(Map<String, String> mdc) throws Exception {
        String pattern = (String) new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml"))
                .get(0).getProperty("logging.pattern.correlation");
        LoggerContext context = new LoggerContext();
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(pattern);
        layout.start();
        LoggingEvent event = new LoggingEvent();
        event.setLoggerContext(context);
        event.setLevel(Level.INFO);
        event.setMessage("line");
        event.setMDCPropertyMap(new HashMap<>(mdc));
        return layout.doLayout(event);
    }
}
