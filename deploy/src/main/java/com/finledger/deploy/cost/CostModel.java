package com.finledger.deploy.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Monthly incremental AWS + Snowflake cost of the pipeline in the last month of a given year of
 * operation (the most expensive month of that year, since storage only grows).
 */
public final class CostModel {

    public static final BigDecimal BUDGET = new BigDecimal("35000");
    static final BigDecimal HOURS = new BigDecimal("730");
    static final BigDecimal DAYS = new BigDecimal("30.4");
    static final BigDecimal GB_PER_TB = new BigDecimal("1000");

    public record LineItem(String service, String basis, BigDecimal usd) {
    }

    public record Month(int year, List<LineItem> items) {
        public BigDecimal total() {
            return items.stream().map(LineItem::usd).reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        public BigDecimal snowflake() {
            return items.stream().filter(i -> i.service().startsWith("Snowflake")).map(LineItem::usd)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    private CostModel() {
    }

    public static Month month(Assumptions a, int year) {
        List<LineItem> items = new ArrayList<>();
        BigDecimal landedTbPerDay = a.rawTbPerDay().multiply(a.landedCompression());
        BigDecimal landedGbPerMonth = landedTbPerDay.multiply(GB_PER_TB).multiply(DAYS);
        BigDecimal v = a.volumeFactor();

        // DMS is sized for the peak rate: one Multi-AZ instance up to 8K changes/s, one more per 8K above it.
        BigDecimal instances = new BigDecimal(Math.max(1, (a.peakRecordsPerSecond() + 7_999) / 8_000));
        add(items, "DMS", instances + " x dms.r6i.xlarge Multi-AZ, 200 GB",
                instances.multiply(HOURS.multiply(Prices.DMS_R6I_XLARGE_MULTI_AZ.usd())
                        .add(new BigDecimal("200").multiply(Prices.DMS_STORAGE_MULTI_AZ.usd()))));

        BigDecimal dpuHours = landedTbPerDay.multiply(a.glueDpuHoursPerLandedTb()).add(a.glueOverheadDpuHoursPerDay())
                .multiply(DAYS).add(new BigDecimal("9")); // + API extractor: 288 runs/day x 0.0625 DPU x 1 min
        add(items, "Glue", dpuHours.setScale(0, RoundingMode.HALF_UP) + " DPU-hours (compaction, tokenising archive, extractor)",
                dpuHours.multiply(Prices.GLUE_DPU_HOUR.usd()));

        add(items, "MWAA", "mw1.medium + 2 extra workers on average",
                HOURS.multiply(Prices.MWAA_MEDIUM.usd()).add(HOURS.multiply(new BigDecimal("2")).multiply(Prices.MWAA_MEDIUM_WORKER.usd())));

        // Landing keeps the landed files and their compacted copy in Standard for landingDays.
        BigDecimal landingGb = landedTbPerDay.multiply(GB_PER_TB).multiply(new BigDecimal(a.landingDays())).multiply(new BigDecimal("2"));
        add(items, "S3 landing (Standard)", landingGb.setScale(0, RoundingMode.HALF_UP) + " GB: " + a.landingDays()
                + " days of landed + compacted files", landingGb.multiply(Prices.S3_STANDARD.usd()));
        BigDecimal archiveGb = landedTbPerDay.multiply(GB_PER_TB).multiply(new BigDecimal(365 * Math.min(year, 7)));
        BigDecimal archivePrice = a.archiveTiering() ? Prices.S3_DEEP_ARCHIVE.usd() : Prices.S3_STANDARD.usd();
        add(items, "S3 raw archive (" + (a.archiveTiering() ? "Deep Archive" : "Standard, tiering off") + ")",
                archiveGb.setScale(0, RoundingMode.HALF_UP) + " GB after " + year + " year(s), Object Lock 7 years",
                archiveGb.multiply(archivePrice));

        // Requests: DMS/extractor/partner PUTs (~1 file per table per minute), compaction and Snowflake GETs,
        // ~1 archive object per 512 MB moved to Deep Archive.
        BigDecimal puts = new BigDecimal("4500000").multiply(v).add(new BigDecimal(a.partnerFilesPerDay()).multiply(DAYS));
        BigDecimal gets = new BigDecimal("20000000").multiply(v);
        BigDecimal transitions = landedGbPerMonth.divide(new BigDecimal("0.5"), 0, RoundingMode.UP);
        add(items, "S3 requests", "PUT " + puts.toBigInteger() + ", GET " + gets.toBigInteger() + ", transitions " + transitions,
                puts.divide(GB_PER_TB).multiply(Prices.S3_PUT.usd()).add(gets.divide(GB_PER_TB).multiply(Prices.S3_GET.usd()))
                        .add(a.archiveTiering() ? transitions.divide(GB_PER_TB).multiply(Prices.S3_DEEP_ARCHIVE_TRANSITION.usd()) : BigDecimal.ZERO));

        BigDecimal kmsRequests = new BigDecimal("10000000").multiply(v); // S3 Bucket Keys keep this low
        add(items, "KMS", "5 keys, " + kmsRequests.toBigInteger() + " requests",
                new BigDecimal("5").multiply(Prices.KMS_KEY.usd()).add(kmsRequests.divide(new BigDecimal("10000")).multiply(Prices.KMS_REQUESTS.usd())));

        add(items, "ECS Fargate", "2 tasks x 1 vCPU / 2 GB, always on",
                new BigDecimal("2").multiply(HOURS).multiply(Prices.FARGATE_VCPU.usd().add(new BigDecimal("2").multiply(Prices.FARGATE_GB.usd()))));
        add(items, "RDS PostgreSQL", "db.m7g.large Multi-AZ, 100 GB gp3",
                HOURS.multiply(Prices.RDS_M7G_LARGE_MULTI_AZ.usd()).add(new BigDecimal("100").multiply(Prices.RDS_GP3_MULTI_AZ.usd())));
        add(items, "ALB + WAF", "1 ALB (~2 LCU), web ACL with 3 rule groups",
                HOURS.multiply(Prices.ALB_HOUR.usd()).add(new BigDecimal("12")).add(Prices.WAF_ACL_AND_RULES.usd()));

        BigDecimal crossAzGb = a.rawTbPerDay().multiply(GB_PER_TB).multiply(DAYS).multiply(a.crossAzShare());
        add(items, "Data transfer", "2 NAT gateways + 500 GB; " + crossAzGb.setScale(0, RoundingMode.HALF_UP)
                        + " GB of ledger reads across AZs; S3 via gateway endpoint, Snowflake in-region (free)",
                new BigDecimal("2").multiply(HOURS).multiply(Prices.NAT_HOUR.usd()).add(new BigDecimal("500").multiply(Prices.NAT_GB.usd()))
                        .add(crossAzGb.multiply(Prices.CROSS_AZ_GB.usd())));
        add(items, "CloudWatch, SQS, Secrets", a.logsGbPerMonth() + " GB logs, ~25 alarms, 9 secrets, ~10M SQS requests",
                a.logsGbPerMonth().multiply(Prices.CLOUDWATCH_LOGS_GB.usd()).add(new BigDecimal("2.5"))
                        .add(new BigDecimal("9").multiply(Prices.SECRET.usd())).add(new BigDecimal("10").multiply(Prices.SQS_MILLION.usd())));

        // Snowflake: warehouse credits scale with volume; the app's queries and the month-end rerun less so.
        BigDecimal loadCredits = a.rawTbPerDay().multiply(GB_PER_TB).multiply(DAYS).multiply(Prices.SNOWPIPE_CREDITS_PER_GB.usd());
        BigDecimal computeCredits = a.transformCreditsPerDay().multiply(v).multiply(DAYS)
                .add(a.monthEndRerunCredits().multiply(v)).add(a.appCreditsPerDay().multiply(DAYS));
        BigDecimal credits = loadCredits.add(computeCredits).multiply(a.snowflakeCreditFactor());
        add(items, "Snowflake compute", credits.setScale(0, RoundingMode.HALF_UP) + " credits (Snowpipe "
                        + loadCredits.setScale(0, RoundingMode.HALF_UP) + ", warehouses " + computeCredits.setScale(0, RoundingMode.HALF_UP)
                        + ") x factor " + a.snowflakeCreditFactor(),
                credits.multiply(Prices.SNOWFLAKE_CREDIT_BC.usd()));
        BigDecimal hotTb = landedTbPerDay.multiply(new BigDecimal(a.snowflakeRawAndStagingDays())).multiply(new BigDecimal("2"));
        BigDecimal curatedTb = landedTbPerDay.multiply(a.curatedRatio()).multiply(new BigDecimal(365 * year));
        BigDecimal storageTb = hotTb.add(curatedTb).multiply(new BigDecimal("1.1")); // + Time Travel / Fail-safe
        add(items, "Snowflake storage", storageTb.setScale(1, RoundingMode.HALF_UP) + " TB (RAW+STAGING " + a.snowflakeRawAndStagingDays()
                + " days, CURATED forever, +10% Fail-safe)", storageTb.multiply(Prices.SNOWFLAKE_STORAGE_TB.usd()));
        return new Month(year, items);
    }

    private static void add(List<LineItem> items, String service, String basis, BigDecimal usd) {
        items.add(new LineItem(service, basis, usd.setScale(2, RoundingMode.HALF_UP)));
    }
}
