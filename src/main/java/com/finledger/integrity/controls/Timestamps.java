package com.finledger.integrity.controls;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Timestamp text as landed records carry it (ISO 8601 or PostgreSQL's text form), read the way the warehouse reads it. */
public final class Timestamps {

    private static final Pattern SHORT_OFFSET = Pattern.compile("([+-]\\d{2})$");

    private Timestamps() {
    }

    /** The instant a timestamp text names, UTC when it names no offset; null when it is not a timestamp. */
    public static Instant parse(String text) {
        String t = text.strip().replace(' ', 'T');
        if (t.length() < 16 || t.charAt(10) != 'T') {
            return null;
        }
        t = SHORT_OFFSET.matcher(t).replaceFirst("$1:00");
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    /**
     * An API record's change timestamp (ISO-8601 instant) as epoch microseconds, the change sequence
     * of API records; absent or unreadable is null.
     */
    public static Long epochMicros(String timestamp) {
        if (timestamp == null) {
            return null;
        }
        try {
            Instant at = Instant.parse(timestamp);
            return at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
