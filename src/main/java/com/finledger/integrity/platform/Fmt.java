package com.finledger.integrity.platform;

import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateExtension;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.Locale;

/**
 * The one formatter every page uses, as Qute's {@code fmt:} namespace: {@code {fmt:money(minor, currency)}}
 * turns exact minor units into major units by the currency's exponent with thousands separators
 * ({@code EUR 475,887.94}, {@code JPY 12,000}); {@code {fmt:when(instant)}} renders a {@code <time>}
 * that the browser rewrites into the viewer's zone, the zone always shown; {@code {fmt:count(n)}}
 * groups thousands. The API and exports keep minor units and ISO instants.
 */
@TemplateExtension(namespace = "fmt")
public final class Fmt {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Fmt() {
    }

    /** Minor units as major units of the currency, e.g. 27491 EUR → "EUR 274.91". */
    public static String money(Number minor, String currency) {
        if (minor == null) {
            return "—";
        }
        int exponent = exponent(currency);
        BigDecimal exact = minor instanceof BigDecimal decimal ? decimal : BigDecimal.valueOf(minor.longValue());
        BigDecimal major = exact.movePointLeft(exponent);
        // A fraction of a minor unit (rates, FX) is shown, never rounded away.
        String sub = "#".repeat(Math.max(0, major.stripTrailingZeros().scale() - exponent));
        String pattern = exponent == 0 && sub.isEmpty() ? "#,##0" : "#,##0." + "0".repeat(exponent) + sub;
        DecimalFormat format = new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
        String code = currency == null || currency.isBlank() ? "" : currency.trim().toUpperCase(Locale.ROOT) + " ";
        return code + format.format(major);
    }

    /** A duration as people read an age or a lag: "42 min", "5 h 3 min", "3 d 4 h". */
    public static String age(java.time.Duration age) {
        long minutes = age.toMinutes();
        if (minutes < 60) {
            return minutes + " min";
        }
        if (minutes < 48 * 60) {
            return (minutes / 60) + " h " + (minutes % 60) + " min";
        }
        return (minutes / (24 * 60)) + " d " + (minutes / 60 % 24) + " h";
    }

    /** Per-currency minor-unit sums as JSON ({"EUR":"47588794"}) shown as money: "EUR 475,887.94 · USD 1.00". */
    public static String amounts(String json) {
        if (json == null || json.isBlank()) {
            return "—";
        }
        try {
            var amounts = com.finledger.integrity.controls.Amounts.fromJson(json);
            if (amounts.asMap().isEmpty()) {
                return "—";
            }
            StringBuilder out = new StringBuilder();
            amounts.asMap().forEach((currency, minor) -> {
                if (!out.isEmpty()) {
                    out.append(" · ");
                }
                if (com.finledger.integrity.controls.Amounts.NO_CURRENCY.equals(currency)) {
                    out.append("no currency ").append(String.format(Locale.ROOT, "%,d", minor.longValue()))
                            .append(" minor units");
                } else if (minor.scale() <= 0) {
                    out.append(money(minor.longValueExact(), currency));
                } else {
                    out.append(currency).append(' ').append(minor.movePointLeft(exponent(currency)).toPlainString());
                }
            });
            return out.toString();
        } catch (RuntimeException e) {
            return json;
        }
    }

    /** The ISO 4217 exponent (2 for EUR, 0 for JPY, 3 for BHD); 2 for an unknown code. */
    public static int exponent(String currency) {
        if (currency == null) {
            return 2;
        }
        try {
            int digits = Currency.getInstance(currency.trim().toUpperCase(Locale.ROOT)).getDefaultFractionDigits();
            return digits < 0 ? 0 : digits;
        } catch (IllegalArgumentException e) {
            return 2;
        }
    }

    /** A whole number with thousands separators. */
    public static String count(Number n) {
        return n == null ? "—" : String.format(Locale.ROOT, "%,d", n.longValue());
    }

    /**
     * A moment as {@code <time>}: UTC with the zone named on the server, rewritten to the viewer's own
     * zone (again named) by ui/scripts/pages.js. Accepts Instant, OffsetDateTime, java.sql.Timestamp or
     * an ISO string; anything else is shown as it is.
     */
    public static RawString when(Object moment) {
        Instant at = toInstant(moment);
        if (at == null) {
            return new RawString(moment == null ? "—" : escape(moment.toString()));
        }
        return new RawString("<time datetime=\"" + at + "\" data-local>" + UTC.format(at) + " UTC</time>");
    }

    static Instant toInstant(Object moment) {
        if (moment instanceof Instant i) {
            return i;
        }
        if (moment instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (moment instanceof java.util.Date d) {
            return d.toInstant();
        }
        if (moment instanceof CharSequence s) {
            try {
                return Instant.parse(s);
            } catch (RuntimeException e) {
                try {
                    return OffsetDateTime.parse(s).toInstant();
                } catch (RuntimeException e2) {
                    return null;
                }
            }
        }
        return null;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
