package com.finledger.integrity.controls;

import java.time.Instant;

/**
 * The control total of one dataset partition at one layer, as computed in one evaluation. Physical
 * measures cover every row the layer holds; effective measures cover the latest surviving version
 * of each key (null where the layer cannot tell versions apart, as for landing files).
 */
public record ControlTotal(String dataset, String partitionKey, String layer, int version, Instant computedAt,
                           long rowCount, long rowFingerprint, Amounts rowAmounts,
                           Long distinctKeys, Long keyFingerprint, Amounts amounts,
                           long duplicateRows, long duplicateFingerprint, Amounts duplicateAmounts,
                           long supersededRows, long deletedKeys) {

    /** A layer whose rows are its effective records (staging, curated, API sources). */
    public static ControlTotal flat(String dataset, String partitionKey, String layer, long rows, long fingerprint,
                                    Amounts amounts) {
        return new ControlTotal(dataset, partitionKey, layer, 0, null, rows, fingerprint, amounts, rows, fingerprint,
                amounts, 0, 0, new Amounts(), 0, 0);
    }

    public ControlTotal withVersion(int version, Instant computedAt) {
        return new ControlTotal(dataset, partitionKey, layer, version, computedAt, rowCount, rowFingerprint,
                rowAmounts, distinctKeys, keyFingerprint, amounts, duplicateRows, duplicateFingerprint,
                duplicateAmounts, supersededRows, deletedKeys);
    }
}
