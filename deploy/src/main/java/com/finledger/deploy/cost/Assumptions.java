package com.finledger.deploy.cost;

import java.math.BigDecimal;

/**
 * What the model assumes about FinLedger's traffic and how the platform is run. The defaults are the
 * mission's numbers (DESIGN.md) plus the stated engineering estimates; the sensitivity table varies them.
 */
public record Assumptions(
        long recordsPerDay,
        BigDecimal rawTbPerDay,
        long peakRecordsPerSecond,
        long partnerFilesPerDay,
        /** Landed bytes per raw byte: Parquet/Snappy from DMS and gzip from the extractor. */
        BigDecimal landedCompression,
        int landingDays,
        boolean archiveTiering,
        /** Glue DPU-hours per landed TB (compaction + tokenising archive), plus per-run start-up overhead. */
        BigDecimal glueDpuHoursPerLandedTb,
        BigDecimal glueOverheadDpuHoursPerDay,
        /** Snowflake warehouse credits per day for STAGING/CURATED/rules/control totals at the default volume. */
        BigDecimal transformCreditsPerDay,
        /** Month-end close rerun of a whole month from pinned raw snapshots. */
        BigDecimal monthEndRerunCredits,
        /** The application's own warehouse queries (readiness, controls, break drill-downs). */
        BigDecimal appCreditsPerDay,
        BigDecimal snowflakeCreditFactor,
        /** Snowflake keeps RAW and STAGING this many days; CURATED forever at curatedRatio of landed bytes. */
        int snowflakeRawAndStagingDays,
        BigDecimal curatedRatio,
        /** Share of DMS source reads that cross an AZ boundary. */
        BigDecimal crossAzShare,
        BigDecimal logsGbPerMonth) {

    public static Assumptions mission() {
        return new Assumptions(120_000_000L, new BigDecimal("1.5"), 8_000L, 200L,
                new BigDecimal("0.25"), 45, true,
                new BigDecimal("80"), new BigDecimal("32"),
                new BigDecimal("58"), new BigDecimal("160"), new BigDecimal("12"), BigDecimal.ONE,
                35, new BigDecimal("0.30"), new BigDecimal("0.5"), new BigDecimal("300"));
    }

    public BigDecimal volumeFactor() {
        return new BigDecimal(recordsPerDay).divide(new BigDecimal(120_000_000L), 6, java.math.RoundingMode.HALF_UP);
    }

    public Assumptions scaledVolume(BigDecimal factor) {
        return new Assumptions(new BigDecimal(recordsPerDay).multiply(factor).longValue(), rawTbPerDay.multiply(factor),
                new BigDecimal(peakRecordsPerSecond).multiply(factor).longValue(), partnerFilesPerDay, landedCompression,
                landingDays, archiveTiering, glueDpuHoursPerLandedTb, glueOverheadDpuHoursPerDay, transformCreditsPerDay,
                monthEndRerunCredits, appCreditsPerDay, snowflakeCreditFactor, snowflakeRawAndStagingDays, curatedRatio,
                crossAzShare, logsGbPerMonth);
    }

    public Assumptions withSnowflakeCreditFactor(BigDecimal factor) {
        return new Assumptions(recordsPerDay, rawTbPerDay, peakRecordsPerSecond, partnerFilesPerDay, landedCompression,
                landingDays, archiveTiering, glueDpuHoursPerLandedTb, glueOverheadDpuHoursPerDay, transformCreditsPerDay,
                monthEndRerunCredits, appCreditsPerDay, factor, snowflakeRawAndStagingDays, curatedRatio, crossAzShare,
                logsGbPerMonth);
    }

    public Assumptions withArchiveTiering(boolean tiering) {
        return new Assumptions(recordsPerDay, rawTbPerDay, peakRecordsPerSecond, partnerFilesPerDay, landedCompression,
                landingDays, tiering, glueDpuHoursPerLandedTb, glueOverheadDpuHoursPerDay, transformCreditsPerDay,
                monthEndRerunCredits, appCreditsPerDay, snowflakeCreditFactor, snowflakeRawAndStagingDays, curatedRatio,
                crossAzShare, logsGbPerMonth);
    }

    public Assumptions withLandedCompression(BigDecimal ratio) {
        return new Assumptions(recordsPerDay, rawTbPerDay, peakRecordsPerSecond, partnerFilesPerDay, ratio,
                landingDays, archiveTiering, glueDpuHoursPerLandedTb, glueOverheadDpuHoursPerDay, transformCreditsPerDay,
                monthEndRerunCredits, appCreditsPerDay, snowflakeCreditFactor, snowflakeRawAndStagingDays, curatedRatio,
                crossAzShare, logsGbPerMonth);
    }
}
