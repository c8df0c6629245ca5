package io.firehosesse.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The digest file format, written by {@link AuditDigests} and read by {@link AuditVerifier}: one place for both, so
 * they cannot drift apart.
 *
 * <p>A digest is two files in {@code <directory>/<trail id>/}: {@code digest-<number>.json}, the body, and
 * {@code digest-<number>.json.sig}, its signature. The signature is over the body file's exact bytes (SHA-256,
 * signed by the KMS as a {@code DIGEST}), so nothing is re-serialised to be checked: {@code openssl dgst -sha256
 * -verify public.pem -signature <(jq -r .signature digest-1.json.sig | base64 -d) digest-1.json} checks one by hand.
 * The next digest names the SHA-256 of this body file, so the digests form a chain of their own, as CloudTrail's do.
 *
 * <p>Each record covered is one line {@code "<sequence> <eventID> <hash>"}, where hash is the first
 * {@value #RECORD_HASH_HEX} hex digits of the record's chain hash ({@link ChainHash}). The full chain head hash in the
 * body already authenticates every record before it (each chain hash covers all before it), so the per-record prefix
 * only has to locate the first record that differs: 64 bits do that with certainty in practice, at ~65 bytes a
 * record where the full hash would be ~115. A busy service writing 1000 calls a second makes ~60 MB a 15-minute
 * digest; a shorter interval makes smaller files.
 */
final class AuditDigest {

    static final int VERSION = 1;
    static final int RECORD_HASH_HEX = 16;
    static final String GENESIS = ChainHash.GENESIS;
    /** The only algorithm written; the verifier refuses any other rather than trust the file's word for it. */
    static final String SIGNING_ALGORITHM = "ECDSA_SHA_256";
    private static final Pattern FILE = Pattern.compile("digest-(\\d+)\\.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditDigest() {
    }

    /**
     * A digest's body.
     *
     * @param startTime         where the previous digest's time range ended (or the trail began)
     * @param endTime           when this digest was written: every record sealed by then at the positions below
     * @param previousChainHash the chain hash of the record before {@code firstPosition} (64 zeros for the first)
     * @param chainHeadHash     the chain hash of the record at {@code lastPosition}
     * @param records           one {@code "<sequence> <eventID> <hash prefix>"} per chain position, in order
     */
    @JsonPropertyOrder({"digestVersion", "trailId", "number", "startTime", "endTime", "previousDigestHash",
            "firstPosition", "lastPosition", "recordCount", "previousChainHash", "chainHeadHash", "records"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Body(int digestVersion, UUID trailId, long number, String startTime, String endTime,
                String previousDigestHash, long firstPosition, long lastPosition, long recordCount,
                String previousChainHash, String chainHeadHash, List<String> records) {
    }

    /** The signature file: which key signed, how, and what. */
    @JsonPropertyOrder({"keyId", "signingAlgorithm", "digestHash", "signature"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SignatureFile(String keyId, String signingAlgorithm, String digestHash, String signature) {
    }

    /** One covered record, as the body lists it. */
    record Entry(long sequence, String eventId, String hashPrefix) {

        static Entry parse(String line) {
            String[] parts = line.split(" ");
            if (parts.length != 3) {
                throw new IllegalArgumentException("a record entry is \"<sequence> <eventID> <hash>\", not \"" + line + "\"");
            }
            return new Entry(Long.parseLong(parts[0]), parts[1], parts[2]);
        }

        static String line(long sequence, String eventId, String chainHash) {
            return sequence + " " + eventId + " " + chainHash.substring(0, RECORD_HASH_HEX);
        }

        boolean matches(String chainHash) {
            return chainHash.startsWith(hashPrefix);
        }
    }

    static String fileName(long number) {
        return String.format(Locale.ROOT, "digest-%08d.json", number);
    }

    static String signatureFileName(long number) {
        return fileName(number) + ".sig";
    }

    /** The digest number a file name stands for, or -1 for any other file. */
    static long number(Path file) {
        Matcher matcher = FILE.matcher(file.getFileName().toString());
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
    }

    /**
     * Writes a body as the service does: the header fields, then the records as they are streamed from the
     * database (a digest of a busy interval is never held in memory whole). Call {@link Writer#record} for each
     * covered record in chain order, then {@link Writer#finish}.
     */
    static final class Writer {

        private final JsonGenerator json;
        private long written;

        Writer(OutputStream out, Body header) throws IOException {
            this.json = new JsonFactory().createGenerator(out);
            // One entry a line, so that a digest reads (and diffs) record by record; the header stays compact.
            json.setPrettyPrinter(new MinimalPrettyPrinter() {
                @Override
                public void beforeArrayValues(JsonGenerator g) throws IOException {
                    g.writeRaw('\n');
                }

                @Override
                public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
                    g.writeRaw(",\n");
                }

                @Override
                public void writeEndArray(JsonGenerator g, int values) throws IOException {
                    g.writeRaw(values > 0 ? "\n]" : "]");
                }
            });
            json.writeStartObject();
            json.writeNumberField("digestVersion", header.digestVersion());
            json.writeStringField("trailId", header.trailId().toString());
            json.writeNumberField("number", header.number());
            json.writeStringField("startTime", header.startTime());
            json.writeStringField("endTime", header.endTime());
            json.writeStringField("previousDigestHash", header.previousDigestHash());
            json.writeNumberField("firstPosition", header.firstPosition());
            json.writeNumberField("lastPosition", header.lastPosition());
            json.writeNumberField("recordCount", header.recordCount());
            json.writeStringField("previousChainHash", header.previousChainHash());
            json.writeStringField("chainHeadHash", header.chainHeadHash());
            json.writeArrayFieldStart("records");
        }

        void record(long sequence, String eventId, String chainHash) throws IOException {
            json.writeString(Entry.line(sequence, eventId, chainHash));
            written++;
        }

        long written() {
            return written;
        }

        void finish() throws IOException {
            json.writeEndArray();
            json.writeEndObject();
            json.writeRaw("\n");
            json.flush();
        }
    }

    static Body parse(byte[] body) throws IOException {
        return JSON.readValue(body, Body.class);
    }

    static byte[] write(SignatureFile signature) {
        try {
            return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(signature) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("A signature file always serialises", e);
        }
    }

    static SignatureFile parseSignature(byte[] file) throws IOException {
        return JSON.readValue(file, SignatureFile.class);
    }

    /** Whether {@code signature} holds over the body's bytes under the given public key. */
    static boolean verifies(PublicKey key, SignatureFile signature, byte[] body) {
        if (!SIGNING_ALGORITHM.equals(signature.signingAlgorithm()) || signature.signature() == null) {
            return false;
        }
        try {
            // A KMS signature over a SHA-256 DIGEST with ECDSA_SHA_256 is an ordinary SHA256withECDSA over the message.
            Signature ecdsa = Signature.getInstance("SHA256withECDSA");
            ecdsa.initVerify(key);
            ecdsa.update(body);
            return ecdsa.verify(Base64.getDecoder().decode(signature.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException notValid) {
            // A malformed signature, or a key of another kind than the signature's: it does not verify.
            return false;
        }
    }

    static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
