package com.finledger.integrity.pci;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Card numbers never leave the landing step in clear: they become a keyed token (HMAC-SHA256 of the
 * digits, so equal PANs give equal tokens and joins still work) that keeps the last four digits
 * for people, and are displayed masked.
 */
@ApplicationScoped
public class PanTokenizer {

    private static final Pattern PAN = Pattern.compile("\\d{12,19}");
    private static final Pattern TOKEN = Pattern.compile("tok_[0-9a-f]{32}_(\\d{4})");
    private static final String MASK = "•••• •••• •••• ";

    private final SecretKeySpec key;

    public PanTokenizer(@ConfigProperty(name = "finledger.pci.token-key") String key) {
        if (key == null || key.length() < 16) {
            throw new IllegalArgumentException("finledger.pci.token-key must be at least 16 characters");
        }
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public static boolean looksLikePan(String value) {
        return value != null && PAN.matcher(value.replace(" ", "").replace("-", "")).matches();
    }

    public static boolean isToken(String value) {
        return value != null && TOKEN.matcher(value).matches();
    }

    /** A stable token for a PAN; a value that is already a token is returned unchanged. */
    public String tokenize(String pan) {
        if (isToken(pan)) {
            return pan;
        }
        String digits = pan == null ? "" : pan.replace(" ", "").replace("-", "");
        if (!PAN.matcher(digits).matches()) {
            throw new IllegalArgumentException("not a card number: expected 12 to 19 digits");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(digits.getBytes(StandardCharsets.US_ASCII));
            return "tok_" + HexFormat.of().formatHex(digest, 0, 16) + "_" + digits.substring(digits.length() - 4);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** What a person may see of a PAN or token: the last four digits. Anything else is fully masked. */
    public static String mask(String value) {
        if (value == null) {
            return "";
        }
        var token = TOKEN.matcher(value);
        if (token.matches()) {
            return MASK + token.group(1);
        }
        String digits = value.replace(" ", "").replace("-", "");
        if (PAN.matcher(digits).matches()) {
            return MASK + digits.substring(digits.length() - 4);
        }
        return "••••";
    }
}
