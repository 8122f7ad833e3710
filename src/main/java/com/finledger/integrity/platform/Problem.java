package com.finledger.integrity.platform;

import java.util.List;

/** JSON problem body (RFC 9457 in spirit): what went wrong, where, and why. */
public record Problem(int status, String title, String detail, List<String> errors) {

    public static Problem of(int status, String title, String detail) {
        return new Problem(status, title, detail, List.of());
    }
}
