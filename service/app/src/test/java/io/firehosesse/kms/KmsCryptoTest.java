package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KmsCryptoTest {

    private static final String KEY_ID = "b2193dae-3763-4c91-aad2-49aaa46aaa1d";
    private static final byte[] MATERIAL = new byte[32];
    private static final String MATERIAL_ID = "ab".repeat(32);
    private static final Map<String, String> CONTEXT = Map.of("stream", "orders");

    @Test
    void aBlobUnderTheFirstMaterialKeepsTheFormatBlobsHadBeforeRotation() {
        byte[] blob = KmsCrypto.encrypt(KEY_ID, null, MATERIAL, bytes("data key"), CONTEXT);

        // version 1, the key id, a 12-byte iv, the plaintext and a 16-byte tag: nothing else, as before rotation.
        assertThat(blob[0]).isEqualTo((byte) 1);
        assertThat(blob).hasSize(1 + 36 + 12 + 8 + 16);
        assertThat(new String(blob, 1, 36, StandardCharsets.US_ASCII)).isEqualTo(KEY_ID);
        assertThat(KmsCrypto.materialIdOf(blob)).isNull();
        assertThat(KmsCrypto.decrypt(blob, MATERIAL, CONTEXT)).isEqualTo(bytes("data key"));
    }

    @Test
    void aBlobUnderRotatedMaterialNamesTheMaterial() {
        byte[] rotated = new byte[32];
        Arrays.fill(rotated, (byte) 7);

        byte[] blob = KmsCrypto.encrypt(KEY_ID, MATERIAL_ID, rotated, bytes("data key"), CONTEXT);

        assertThat(blob[0]).isEqualTo((byte) 2);
        assertThat(KmsCrypto.keyIdOf(blob)).isEqualTo(KEY_ID);
        assertThat(KmsCrypto.materialIdOf(blob)).isEqualTo(MATERIAL_ID);
        assertThat(KmsCrypto.decrypt(blob, rotated, CONTEXT)).isEqualTo(bytes("data key"));
        assertThatThrownBy(() -> KmsCrypto.decrypt(blob, MATERIAL, CONTEXT))
                .isInstanceOfSatisfying(KmsException.class,
                        e -> assertThat(e.errorName()).isEqualTo("InvalidCiphertextException"));
    }

    @Test
    void aBlobOfAnotherVersionOrTooShortIsInvalidCiphertext() {
        byte[] blob = KmsCrypto.encrypt(KEY_ID, MATERIAL_ID, MATERIAL, bytes("x"), CONTEXT);
        byte[] otherVersion = blob.clone();
        otherVersion[0] = 3;

        for (byte[] bad : new byte[][] {otherVersion, Arrays.copyOf(blob, 1 + 36 + 32 + 12), new byte[0],
                HexFormat.of().parseHex("02")}) {
            assertThatThrownBy(() -> KmsCrypto.keyIdOf(bad))
                    .isInstanceOfSatisfying(KmsException.class,
                            e -> assertThat(e.errorName()).isEqualTo("InvalidCiphertextException"));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
