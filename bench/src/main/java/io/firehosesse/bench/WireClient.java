package io.firehosesse.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * One client connection speaking AWS JSON 1.1: each call is signed with the SDK's SigV4 signer as the AWS SDKs sign
 * it, and sent over a kept-alive HTTP/1.1 connection. One per load thread, as one SDK client per application thread.
 * The connection is a plain socket rather than the JDK's HttpClient: the harness shares the machine's cores with the
 * service it measures, and the JDK client spends several times the CPU per call on its own threads and selectors.
 */
final class WireClient {

    private final URI endpoint;
    private final AwsCredentialsIdentity credentials;
    private final String region;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    WireClient(URI endpoint, String accessKeyId, String secretAccessKey, String region) {
        this.endpoint = endpoint;
        this.credentials = AwsCredentialsIdentity.create(accessKeyId, secretAccessKey);
        this.region = region;
    }

    /** The answer to one call: its HTTP status, the AWS error type when it failed, and the body. */
    record Answer(int status, String errorType, byte[] body) {
        boolean ok() {
            return status == 200;
        }
    }

    Answer firehose(String operation, byte[] body) {
        return call("Firehose_20150804." + operation, "firehose", body);
    }

    Answer kms(String operation, byte[] body) {
        return call("TrentService." + operation, "kms", body);
    }

    private Answer call(String target, String signingName, byte[] body) {
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", target)
                .build();
        SignedRequest signed = signer.sign(r -> r.identity(credentials).request(unsigned)
                .payload(() -> new ByteArrayInputStream(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        StringBuilder head = new StringBuilder(512).append("POST ").append(endpoint.getRawPath().isEmpty() ? "/"
                : endpoint.getRawPath()).append(" HTTP/1.1\r\n");
        for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
            for (String value : header.getValue()) {
                head.append(header.getKey()).append(": ").append(value).append("\r\n");
            }
        }
        if (signed.request().firstMatchingHeader("Host").isEmpty()) {
            head.append("Host: ").append(endpoint.getHost()).append(':').append(endpoint.getPort()).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        // A kept-alive connection the server closed meanwhile is found out at the first write or read: once more, afresh.
        for (int attempt = 1; ; attempt++) {
            try {
                connect();
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                return read();
            } catch (IOException e) {
                close();
                if (attempt >= 2) {
                    return new Answer(0, "Connection:" + e.getClass().getSimpleName(), new byte[0]);
                }
            }
        }
    }

    private void connect() throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 5_000);
            socket.setSoTimeout(60_000);
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        }
    }

    private Answer read() throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        int length = -1;
        boolean chunked = false;
        boolean closes = false;
        String errorHeader = null;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Integer.parseInt(value);
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                case "connection" -> closes = value.equalsIgnoreCase("close");
                case "x-amzn-errortype" -> errorHeader = value;
                default -> { }
            }
        }
        byte[] body = chunked ? chunks() : in.readNBytes(Math.max(0, length));
        if (closes) {
            close();
        }
        return new Answer(status, status == 200 ? null : errorType(errorHeader, body, status), body);
    }

    private byte[] chunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
             size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
            body.write(in.readNBytes(size));
            line();
        }
        for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
            // trailers carry nothing the harness reads
        }
        return body.toByteArray();
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("The connection closed mid-answer");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    void close() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // closing a broken connection
        } finally {
            socket = null;
        }
    }

    /** As the SDKs read it: the x-amzn-ErrorType header, else the body's __type, without any namespace prefix. */
    private static String errorType(String header, byte[] body, int status) {
        String type = header != null ? header : Json.text(body, "__type");
        if (type == null) {
            return "HTTP " + status;
        }
        type = type.contains("#") ? type.substring(type.indexOf('#') + 1) : type;
        return type.contains(":") ? type.substring(0, type.indexOf(':')) : type;
    }
}
