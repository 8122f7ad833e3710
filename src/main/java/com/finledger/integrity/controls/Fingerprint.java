package com.finledger.integrity.controls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Order-independent fingerprint of a set of records: the sum, mod 2^64, of a 64-bit hash of each
 * record's key and change sequence. The hash is the first 8 bytes of MD5 of
 * {@code key1|key2|...|change_seq}, which every engine here computes identically (Java while
 * landing, PostgreSQL and Snowflake in SQL), so totals from different systems can be compared.
 * Sums are additive: a partition's fingerprint is the sum of its objects' fingerprints.
 */
public final class Fingerprint {

    private long sum;

    public static long hash(List<String> key, String changeSequence) {
        StringBuilder text = new StringBuilder();
        for (String part : key) {
            text.append(part == null ? "" : part).append('|');
        }
        text.append(changeSequence == null ? "" : changeSequence);
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (md5[i] & 0xff);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void add(List<String> key, String changeSequence) {
        sum += hash(key, changeSequence); // long overflow is exactly arithmetic mod 2^64
    }

    public long value() {
        return sum;
    }
}
