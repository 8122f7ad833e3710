package com.finledger.integrity.demo;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The defects the demo world can inject, each one a way real FinLedger data goes wrong. Switched on
 * by slug in {@code finledger.demo.defects}; the README's "Demo world" section lists them too.
 */
public enum Defect {

    CDC_RESTART_DUPLICATES("cdc-restart-duplicates",
            "DMS restarts from an earlier checkpoint on the second business day and lands the last 40 payment "
                    + "changes a second time, in a separate change file."),
    MISSING_SETTLEMENT("missing-settlement",
            "One captured payment of the first business day is never settled in the settlements ledger "
                    + "(so the bank has no line for it either)."),
    LATE_PARTNER_FILE("late-partner-file",
            "Northbank's settlement report for the last business day arrives at 14:10 the next day, after the "
                    + "08:00 cut-off."),
    RESENT_PARTNER_FILE("resent-partner-file",
            "Northbank sends the first business day's settlement report again, byte for byte, under a new name."),
    SCHEMA_DRIFT("schema-drift",
            "Processor Beta's API renames 'currency' to 'currency_code' and adds 'surcharge_minor' on the last "
                    + "business day."),
    ORPHAN_REFUND("orphan-refund",
            "One refund on the second business day points at a payment that does not exist."),
    AMOUNT_MISMATCH("amount-mismatch",
            "Processor Alpha reports one payment of the first business day 1.00 higher than the ledger."),
    SKIPPED_CHANGE_RANGE("skipped-change-range",
            "DMS resumes the refunds ledger's task past a few changes of the last business day (its start position "
                    + "was set later than its checkpoint), so those refund changes never land."),
    API_WINDOW_GAP("api-window-gap",
            "The extractor advances Processor Alpha's high-water mark past the second business day's window "
                    + "without pulling it.");

    private final String slug;
    private final String description;

    Defect(String slug, String description) {
        this.slug = slug;
        this.description = description;
    }

    public String slug() {
        return slug;
    }

    public String description() {
        return description;
    }

    public static Set<Defect> parse(Set<String> slugs) {
        Set<Defect> defects = EnumSet.noneOf(Defect.class);
        for (String slug : slugs) {
            if (slug.isBlank()) {
                continue;
            }
            defects.add(Arrays.stream(values()).filter(d -> d.slug.equals(slug.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown demo defect '" + slug + "'; known: "
                            + Arrays.stream(values()).map(Defect::slug).toList())));
        }
        return defects;
    }
}
