package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The master key's wrap is bound to the key it was made for (issue #19 point 6), and reads what earlier versions stored. */
class MasterKeyTest {

    private static final byte[] KEY = new byte[32];
    private static final String ORDERS = "1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String OTHER = "0987dcba-09ba-87dc-65fe-0987654321ba";

    static {
        new SecureRandom().nextBytes(KEY);
    }

    private final MasterKey masterKey = new MasterKey(new KmsProperties("", Base64.getEncoder().encodeToString(KEY), "", null));

    @Test
    void materialWrappedForOneKeyOpensForThatKeyOnly() {
        byte[] material = "thirty-two bytes of key material".getBytes();
        byte[] wrapped = masterKey.wrap(material, ORDERS);

        assertThat(masterKey.unwrap(wrapped, ORDERS)).isEqualTo(material);
        // Copied into another key's row, it does not open there.
        assertThatThrownBy(() -> masterKey.unwrap(wrapped, OTHER)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(OTHER).hasMessageNotContaining(new String(material));
    }

    @Test
    void materialStoredBeforeWrapsWereBoundStillOpens() throws Exception {
        byte[] material = "stored by the version before this".getBytes();
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, iv));
        byte[] sealed = cipher.doFinal(material);
        byte[] legacy = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();

        assertThat(masterKey.unwrap(legacy, ORDERS)).isEqualTo(material);
    }

    @Test
    void anotherMasterKeyOpensNothing() {
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        MasterKey stranger = new MasterKey(new KmsProperties("", Base64.getEncoder().encodeToString(other), "", null));

        assertThatThrownBy(() -> stranger.unwrap(masterKey.wrap(new byte[32], ORDERS), ORDERS))
                .isInstanceOf(IllegalStateException.class);
    }
}
