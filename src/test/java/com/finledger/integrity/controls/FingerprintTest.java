package com.finledger.integrity.controls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The allocation-free hash of a numeric change sequence is the same hash as the text one, in every case. */
class FingerprintTest {

    private static void same(List<String> key, long seq) {
        assertEquals(Fingerprint.hash(key, Long.toString(seq)), Fingerprint.hash(key, seq), key + " / " + seq);
    }

    @Test
    void theFastPathHashesExactlyLikeTheTextOne() {
        same(List.of("NB-1"), 5);
        same(List.of("PAY-20261102-0000001"), 1_795_651_200_000_000_001L);
        same(List.of("a", "b|c"), 0);
        same(Arrays.asList("x", null), 42);
        same(List.of("Zürich-ß"), 7);
        same(List.of("k".repeat(400)), 9);
        same(List.of("neg"), -3);
    }
}
