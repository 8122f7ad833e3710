package com.finledger.integrity.intake;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.finledger.integrity.FuzzProperty;
import java.nio.charset.StandardCharsets;

/**
 * Any text as the body of an SQS message on the intake queue: an S3 event notification gives object
 * references (each with a bucket, a key and a time), anything else is refused with an
 * IllegalArgumentException and its reason — the one error {@link SqsIntake} keeps as a rejected message.
 * Any other exception would leave the message on the queue to fail again until it is dead-lettered.
 * Seeds: src/test/resources/com/finledger/integrity/intake/S3EventNotificationsFuzzTestInputs/anyBody/.
 */
class S3EventNotificationsFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyBody(byte[] input) {
        String body = new String(input, StandardCharsets.UTF_8);
        FuzzProperty.parsesOrRefuses(() -> {
            for (PartnerFileIntake.ObjectRef ref : S3EventNotifications.parse(body)) {
                assertFalse(ref.bucket().isEmpty() && ref.key().isEmpty(), "a reference names an object");
                if (ref.arrivedAt() == null || ref.versionId() == null) {
                    throw new AssertionError("a reference without a time or a version: " + ref);
                }
            }
        }, IllegalArgumentException.class);
    }
}
