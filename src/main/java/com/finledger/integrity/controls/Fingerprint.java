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

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    public static long hash(List<String> key, String changeSequence) {
        StringBuilder text = new StringBuilder(64);
        for (String part : key) {
            text.append(part == null ? "" : part).append('|');
        }
        text.append(changeSequence == null ? "" : changeSequence);
        byte[] md5 = MD5.get().digest(text.toString().getBytes(StandardCharsets.UTF_8));
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (md5[i] & 0xff);
        }
        return h;
    }

    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[256]);

    /**
     * The same hash as {@link #hash(List, String)} for a numeric change sequence, without building
     * strings: ASCII keys are written straight into a reused buffer (other keys take the string way).
     */
    public static long hash(List<String> key, long changeSequence) {
        byte[] buf = BUFFER.get();
        int len = 0;
        for (String part : key) {
            String p = part == null ? "" : part;
            if (len + p.length() + 21 > buf.length) {
                return hash(key, Long.toString(changeSequence));
            }
            for (int i = 0; i < p.length(); i++) {
                char ch = p.charAt(i);
                if (ch >= 128) {
                    return hash(key, Long.toString(changeSequence));
                }
                buf[len++] = (byte) ch;
            }
            buf[len++] = '|';
        }
        if (changeSequence < 0) {
            return hash(key, Long.toString(changeSequence));
        }
        int start = len;
        do {
            buf[len++] = (byte) ('0' + changeSequence % 10);
            changeSequence /= 10;
        } while (changeSequence > 0);
        for (int i = start, j = len - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
        MessageDigest md = MD5.get();
        md.update(buf, 0, len);
        byte[] md5 = md.digest();
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (md5[i] & 0xff);
        }
        return h;
    }

    public void add(long hash) {
        sum += hash;
    }

    public void add(List<String> key, String changeSequence) {
        sum += hash(key, changeSequence); // long overflow is exactly arithmetic mod 2^64
    }

    public long value() {
        return sum;
    }
}
