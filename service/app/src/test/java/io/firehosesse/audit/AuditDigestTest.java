package io.firehosesse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The digest format and its signature, as the service writes them and the verifier reads them. */
class AuditDigestTest {

    static final UUID TRAIL = UUID.fromString("6f0c2d4e-0000-4000-8000-000000000001");
    static final String FIRST = ChainHash.link(ChainHash.GENESIS, "{\"eventID\":\"a\"}");
    static final String SECOND = ChainHash.link(FIRST, "{\"eventID\":\"b\"}");

    @Test
    void aBodyListsOneRecordALineAndReadsBackAsWritten() throws IOException {
        byte[] body = body(List.of(FIRST, SECOND));

        AuditDigest.Body parsed = AuditDigest.parse(body);

        assertThat(parsed.trailId()).isEqualTo(TRAIL);
        assertThat(parsed.number()).isEqualTo(3);
        assertThat(parsed.firstPosition()).isEqualTo(11);
        assertThat(parsed.lastPosition()).isEqualTo(12);
        assertThat(parsed.chainHeadHash()).isEqualTo(SECOND);
        assertThat(parsed.records()).containsExactly(
                "101 00000000-0000-4000-8000-00000000000a " + FIRST.substring(0, AuditDigest.RECORD_HASH_HEX),
                "102 00000000-0000-4000-8000-00000000000b " + SECOND.substring(0, AuditDigest.RECORD_HASH_HEX));
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("\"records\":[\n\"101 ").endsWith("\n]}\n");
        AuditDigest.Entry entry = AuditDigest.Entry.parse(parsed.records().get(1));
        assertThat(entry.sequence()).isEqualTo(102);
        assertThat(entry.matches(SECOND)).isTrue();
        assertThat(entry.matches(FIRST)).isFalse();
    }

    @Test
    void anEmptyDigestStillJoinsTheChainOfDigests() throws IOException {
        AuditDigest.Body parsed = AuditDigest.parse(body(List.of()));

        assertThat(parsed.records()).isEmpty();
        assertThat(parsed.recordCount()).isZero();
    }

    @Test
    void aKmsSignatureOverTheBodysSha256VerifiesAsEcdsaOverTheBody() throws Exception {
        KeyPair pair = keyPair();
        byte[] body = body(List.of(FIRST, SECOND));

        AuditDigest.SignatureFile signed = kmsSigned(pair, body);

        assertThat(AuditDigest.verifies(pair.getPublic(), signed, body)).isTrue();
        AuditDigest.SignatureFile read = AuditDigest.parseSignature(AuditDigest.write(signed));
        assertThat(read).isEqualTo(signed);
        assertThat(AuditDigest.verifies(pair.getPublic(), read, body)).isTrue();
    }

    @Test
    void aChangedByteAnotherKeyAnotherAlgorithmOrAMalformedSignatureDoNotVerify() throws Exception {
        KeyPair pair = keyPair();
        byte[] body = body(List.of(FIRST, SECOND));
        AuditDigest.SignatureFile signed = kmsSigned(pair, body);
        byte[] changed = body.clone();
        changed[changed.length / 2] ^= 1;

        assertThat(AuditDigest.verifies(pair.getPublic(), signed, changed)).isFalse();
        assertThat(AuditDigest.verifies(keyPair().getPublic(), signed, body)).isFalse();
        assertThat(AuditDigest.verifies(pair.getPublic(), new AuditDigest.SignatureFile(signed.keyId(),
                "RSASSA_PSS_SHA_256", signed.digestHash(), signed.signature()), body)).isFalse();
        assertThat(AuditDigest.verifies(pair.getPublic(), new AuditDigest.SignatureFile(signed.keyId(),
                signed.signingAlgorithm(), signed.digestHash(), "not base64!"), body)).isFalse();
        assertThat(AuditDigest.verifies(pair.getPublic(), new AuditDigest.SignatureFile(signed.keyId(),
                signed.signingAlgorithm(), signed.digestHash(), null), body)).isFalse();
    }

    @Test
    void fileNamesCarryTheNumberAndSortAsNumbers() {
        assertThat(AuditDigest.fileName(7)).isEqualTo("digest-00000007.json");
        assertThat(AuditDigest.signatureFileName(7)).isEqualTo("digest-00000007.json.sig");
        assertThat(AuditDigest.number(Path.of("x", "digest-00000123.json"))).isEqualTo(123);
        assertThat(AuditDigest.number(Path.of("digest-00000123.json.sig"))).isEqualTo(-1);
        assertThat(AuditDigest.number(Path.of("public-key.pem"))).isEqualTo(-1);
    }

    static byte[] body(List<String> hashes) throws IOException {
        String last = hashes.isEmpty() ? FIRST : hashes.get(hashes.size() - 1);
        AuditDigest.Body header = new AuditDigest.Body(AuditDigest.VERSION, TRAIL, 3, "2026-12-03T06:00:00Z",
                "2026-12-03T06:15:00Z", "ab".repeat(32), 11, 10 + hashes.size(), hashes.size(), FIRST, last, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AuditDigest.Writer writer = new AuditDigest.Writer(out, header);
        for (int i = 0; i < hashes.size(); i++) {
            writer.record(101 + i, "00000000-0000-4000-8000-00000000000" + (char) ('a' + i), hashes.get(i));
        }
        writer.finish();
        return out.toByteArray();
    }

    static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** As the KMS signs a DIGEST with ECDSA_SHA_256: ECDSA over the 32 bytes given, not hashed again. */
    static AuditDigest.SignatureFile kmsSigned(KeyPair pair, byte[] body) throws GeneralSecurityException {
        byte[] sha256 = AuditDigest.sha256(body);
        Signature ecdsa = Signature.getInstance("NONEwithECDSA");
        ecdsa.initSign(pair.getPrivate());
        ecdsa.update(sha256);
        return new AuditDigest.SignatureFile("arn:aws:kms:us-east-1:123456789012:key/test", AuditDigest.SIGNING_ALGORITHM,
                AuditDigest.hex(sha256), Base64.getEncoder().encodeToString(ecdsa.sign()));
    }
}
