package io.firehosesse.encryption;

import java.util.List;
import java.util.Map;

/**
 * The grant Firehose makes on a stream's customer managed key (SPEC's decision, after AWS's description of it), in
 * one place for the two sides that use it: the encryption process creates it with these members, and the data plane
 * asks for data keys as its grantee under its constraint, so that records are sealed only while the grant is there.
 */
public final class FirehoseGrant {

    /** Grantee and retiring principal: Firehose itself. */
    public static final String GRANTEE = "firehose.amazonaws.com";

    /**
     * What the grant allows: every one an operation the embedded KMS serves ({@code ReEncryptFrom}/{@code ReEncryptTo}
     * are the two halves of ReEncrypt), and each a grant operation KMS accepts for a symmetric key.
     */
    public static final List<String> OPERATIONS = List.of("Encrypt", "Decrypt", "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "DescribeKey", "RetireGrant");

    /** The encryption context key naming the stream, in the grant's constraint and in every data key's context. */
    public static final String CONTEXT_KEY = "aws:firehose:arn";

    private FirehoseGrant() {
    }

    /** The encryption context of a stream's data keys, which is also the grant's {@code EncryptionContextSubset}. */
    public static Map<String, String> context(String streamArn) {
        return Map.of(CONTEXT_KEY, streamArn);
    }
}
