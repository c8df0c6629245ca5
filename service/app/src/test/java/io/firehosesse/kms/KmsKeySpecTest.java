package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.kms.KmsKeySpec.Usage;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The key spec table against the KMS model the wire is checked with, so a newer model cannot slip past it. */
class KmsKeySpecTest {

    private static final JsonNode SHAPES = model().path("shapes");

    @Test
    void everyKeySpecAndUsageOfTheModelIsInTheTable() {
        assertThat(Arrays.stream(KmsKeySpec.values()).map(Enum::name)).containsExactlyInAnyOrderElementsOf(enumOf("KeySpec"));
        assertThat(Arrays.stream(Usage.values()).map(Enum::name)).containsExactlyInAnyOrderElementsOf(enumOf("KeyUsageType"));
    }

    @Test
    void everyAlgorithmTheTableOffersIsOneTheModelNamesAndTheJdkSideKnows() {
        for (KmsKeySpec spec : KmsKeySpec.values()) {
            assertThat(enumOf("EncryptionAlgorithmSpec")).containsAll(spec.algorithms(Usage.ENCRYPT_DECRYPT));
            assertThat(enumOf("SigningAlgorithmSpec")).containsAll(spec.algorithms(Usage.SIGN_VERIFY));
            assertThat(enumOf("MacAlgorithmSpec")).containsAll(spec.algorithms(Usage.GENERATE_VERIFY_MAC));
            assertThat(enumOf("KeyAgreementAlgorithmSpec")).containsAll(spec.algorithms(Usage.KEY_AGREEMENT));
            spec.algorithms(Usage.SIGN_VERIFY).forEach(name ->
                    assertThatCode(() -> KmsAlgorithms.Signing.valueOf(name)).doesNotThrowAnyException());
            spec.algorithms(Usage.ENCRYPT_DECRYPT).stream().filter(name -> !name.equals("SYMMETRIC_DEFAULT")).forEach(name ->
                    assertThatCode(() -> KmsAlgorithms.Encryption.valueOf(name)).doesNotThrowAnyException());
        }
    }

    @Test
    void everySpecIsServedOrRefusedWithAReason() {
        for (KmsKeySpec spec : KmsKeySpec.values()) {
            boolean served = spec.family() != KmsKeySpec.Family.UNSUPPORTED;
            assertThat(served || spec.refusal() != null).as(spec.name()).isTrue();
            assertThat(!served || spec.allows(spec.defaultUsage())).as(spec.name()).isTrue();
        }
    }

    @Test
    void keyPairsOfEveryServedAsymmetricSpecSignAndVerify() {
        for (KmsKeySpec spec : KmsKeySpec.values()) {
            if (spec.family() != KmsKeySpec.Family.RSA && spec.family() != KmsKeySpec.Family.EC) {
                continue;
            }
            byte[][] pair = KmsAlgorithms.generateKeyPair(spec);
            for (String name : spec.algorithms(Usage.SIGN_VERIFY)) {
                KmsAlgorithms.Signing algorithm = KmsAlgorithms.Signing.valueOf(name);
                byte[] message = "message".getBytes();
                byte[] signature = KmsAlgorithms.sign(spec, pair[0], algorithm, message, false);
                assertThat(KmsAlgorithms.verify(spec, pair[1], algorithm, message, false, signature)).as(name).isTrue();
            }
        }
    }

    private static List<String> enumOf(String shape) {
        List<String> values = new ArrayList<>();
        SHAPES.path(shape).path("enum").forEach(value -> values.add(value.asText()));
        assertThat(values).as(shape).isNotEmpty();
        return values;
    }

    private static JsonNode model() {
        try (InputStream in = KmsKeySpecTest.class.getResourceAsStream("/aws-models/kms-2014-11-01.service-2.json")) {
            return new ObjectMapper().readTree(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
