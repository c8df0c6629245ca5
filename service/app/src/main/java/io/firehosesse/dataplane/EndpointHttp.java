package io.firehosesse.dataplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.springframework.stereotype.Component;

/**
 * The one HTTPS client destinations are called with: the JDK's client, trusting the JDK's issuers and those of
 * {@code firehose.delivery.http.trust-store}, with the configured timeouts. Shared by every protocol so that the
 * trust and the timeouts are set in one place.
 */
@Component
class EndpointHttp {

    /** How much of an endpoint's answer a refusal quotes. */
    private static final int ANSWER_SHOWN = 512;

    private final DeliveryProperties.Http properties;
    private final ObjectMapper json;
    private volatile HttpClient client;

    EndpointHttp(DeliveryProperties properties, ObjectMapper json) {
        this.properties = properties.http();
        this.json = json;
        // Made at the first delivery: the JDK's TLS set-up takes a fifth of a second that a start need not wait
        // for. A configured trust store is read now all the same, so a bad one stops the start with its reason.
        if (this.properties.trustStore() != null) {
            client();
        }
    }

    private HttpClient client() {
        HttpClient made = client;
        if (made == null) {
            synchronized (this) {
                made = client;
                if (made == null) {
                    made = HttpClient.newBuilder()
                            .sslContext(sslContext(properties))
                            .connectTimeout(properties.connectTimeout())
                            // AWS sends to the URL as configured; a redirect would send the records elsewhere.
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .build();
                    client = made;
                }
            }
        }
        return made;
    }

    /**
     * POSTs the body and answers the JSON the endpoint sent back with a 200. Anything else refuses the batch, saying
     * what {@code who} (the endpoint, the cluster, HEC) did: no answer within the request timeout, a URL the client
     * cannot call, another status, a body that is not JSON.
     */
    JsonNode postForJson(String who, URI url, Map<String, String> headers, byte[] body) throws DestinationEndpoint.Refused {
        HttpResponse<String> response;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(properties.requestTimeout())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
            response = client().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: a URL the client cannot call (no host, not http or https).
            throw new DestinationEndpoint.Refused("No answer from " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DestinationEndpoint.Refused("Interrupted while waiting for " + url, e);
        }
        if (response.statusCode() != 200) {
            throw new DestinationEndpoint.Refused(who + " answered " + response.statusCode() + ": " + shown(response.body()));
        }
        try {
            return json.readTree(response.body() == null ? "" : response.body());
        } catch (JsonProcessingException e) {
            throw new DestinationEndpoint.Refused(who + " answered 200 without a JSON body: " + shown(response.body()));
        }
    }

    /** The start of an endpoint's answer, for a refusal's reason. */
    static String shown(String body) {
        return body == null ? "" : body.length() <= ANSWER_SHOWN ? body : body.substring(0, ANSWER_SHOWN) + "...";
    }

    private static SSLContext sslContext(DeliveryProperties.Http properties) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            if (properties.trustStore() == null) {
                context.init(null, null, null);
                return context;
            }
            // The JDK's issuers and the configured ones as one set of trust anchors.
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int n = 0;
            for (X509Certificate issuer : defaultTrust().getAcceptedIssuers()) {
                anchors.setCertificateEntry("jdk-" + n++, issuer);
            }
            try (InputStream pem = Files.newInputStream(properties.trustStore())) {
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
                    anchors.setCertificateEntry("configured-" + n++, certificate);
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot trust the certificates in firehose.delivery.http.trust-store="
                    + properties.trustStore() + ": " + e.getMessage(), e);
        }
    }

    private static X509TrustManager defaultTrust() throws GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init((KeyStore) null);
        for (var manager : trust.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("The JDK has no X.509 trust manager");
    }
}
