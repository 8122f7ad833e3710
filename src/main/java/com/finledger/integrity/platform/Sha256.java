package com.finledger.integrity.platform;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, the one content hash of the control plane (objects, files, reports, the audit chain). */
public final class Sha256 {

    private Sha256() {
    }

    /** A fresh digest to feed while streaming. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** The lower-case hex of what the digest was fed. */
    public static String hex(MessageDigest fed) {
        return HexFormat.of().formatHex(fed.digest());
    }

    /** The lower-case hex SHA-256 of the bytes. */
    public static String hex(byte[] content) {
        return HexFormat.of().formatHex(digest().digest(content));
    }
}
