package com.finledger.integrity.demo;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Settlement shapes the demo world can add that are not defects but that matching must handle:
 * switched on by slug in {@code finledger.demo.cases} (off by default, so the default world and its
 * committed verdicts stay as they are). Each is placed on the first business day and recorded in
 * {@code demo_injected_fault} as {@code case:<slug>}.
 */
public enum DemoCase {

    NETTED_PAYOUT("netted-payout",
            "Northbank credits the first five EUR settlements of processor Beta on the first business day as one "
                    + "payout line (reference PAYOUT-beta-<date>-EUR), net of Beta's fees, instead of five lines."),
    FX_SETTLEMENT("fx-settlement",
            "Northbank credits the first USD settlement of the first business day in EUR, at 0.9210 EUR per USD "
                    + "(0.1% off the reference rate, inside matching's FX tolerance)."),
    UNCONFIRMED_REFUND("unconfirmed-refund",
            "Processor Alpha never confirms the first refund the ledger records, on the first business day, of a "
                    + "payment Alpha captured: its transactions API has no REFUNDED record for it.");

    public static final int PAYOUT_SETTLEMENTS = 5;
    public static final String FX_RATE = "0.9210";

    private final String slug;
    private final String description;

    DemoCase(String slug, String description) {
        this.slug = slug;
        this.description = description;
    }

    public String slug() {
        return slug;
    }

    public String description() {
        return description;
    }

    /** The key of the case in {@code demo_injected_fault}. */
    public String faultKey() {
        return "case:" + slug;
    }

    public static Set<DemoCase> parse(Iterable<String> slugs) {
        Set<DemoCase> cases = EnumSet.noneOf(DemoCase.class);
        for (String slug : slugs) {
            if (slug.isBlank() || slug.trim().equals("none")) {
                continue;
            }
            cases.add(Arrays.stream(values()).filter(c -> c.slug.equals(slug.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown demo case '" + slug + "'; known: "
                            + Arrays.stream(values()).map(DemoCase::slug).toList())));
        }
        return cases;
    }
}
