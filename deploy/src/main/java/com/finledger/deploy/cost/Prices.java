package com.finledger.deploy.cost;

import java.util.List;

/**
 * List prices, eu-west-1 (Ireland), on-demand, USD. Recorded by hand from the cited pages for the
 * 2026-11 model; the build cannot fetch them, so re-check the pages before each budget review.
 */
public final class Prices {

    public static final String AS_OF = "2026-11";

    public static final Price DMS_R6I_XLARGE_MULTI_AZ = Price.of("DMS dms.r6i.xlarge, Multi-AZ", "1.104", "per hour",
            "https://aws.amazon.com/dms/pricing/");
    public static final Price DMS_STORAGE_MULTI_AZ = Price.of("DMS gp2 storage, Multi-AZ", "0.232", "per GB-month",
            "https://aws.amazon.com/dms/pricing/");
    public static final Price GLUE_DPU_HOUR = Price.of("Glue Spark / Python shell", "0.44", "per DPU-hour",
            "https://aws.amazon.com/glue/pricing/");
    public static final Price MWAA_MEDIUM = Price.of("MWAA mw1.medium environment", "0.74", "per hour",
            "https://aws.amazon.com/managed-workflows-for-apache-airflow/pricing/");
    public static final Price MWAA_MEDIUM_WORKER = Price.of("MWAA mw1.medium additional worker", "0.11", "per hour",
            "https://aws.amazon.com/managed-workflows-for-apache-airflow/pricing/");
    public static final Price S3_STANDARD = Price.of("S3 Standard", "0.023", "per GB-month",
            "https://aws.amazon.com/s3/pricing/");
    public static final Price S3_DEEP_ARCHIVE = Price.of("S3 Glacier Deep Archive", "0.00099", "per GB-month",
            "https://aws.amazon.com/s3/pricing/");
    public static final Price S3_PUT = Price.of("S3 PUT/COPY/POST/LIST", "0.005", "per 1,000 requests",
            "https://aws.amazon.com/s3/pricing/");
    public static final Price S3_GET = Price.of("S3 GET", "0.0004", "per 1,000 requests",
            "https://aws.amazon.com/s3/pricing/");
    public static final Price S3_DEEP_ARCHIVE_TRANSITION = Price.of("S3 lifecycle transition to Deep Archive", "0.05",
            "per 1,000 objects", "https://aws.amazon.com/s3/pricing/");
    public static final Price KMS_KEY = Price.of("KMS customer-managed key", "1.00", "per key-month",
            "https://aws.amazon.com/kms/pricing/");
    public static final Price KMS_REQUESTS = Price.of("KMS requests", "0.03", "per 10,000 requests",
            "https://aws.amazon.com/kms/pricing/");
    public static final Price FARGATE_VCPU = Price.of("Fargate vCPU (Linux/x86)", "0.04048", "per vCPU-hour",
            "https://aws.amazon.com/fargate/pricing/");
    public static final Price FARGATE_GB = Price.of("Fargate memory", "0.004445", "per GB-hour",
            "https://aws.amazon.com/fargate/pricing/");
    public static final Price RDS_M7G_LARGE_MULTI_AZ = Price.of("RDS PostgreSQL db.m7g.large, Multi-AZ", "0.372", "per hour",
            "https://aws.amazon.com/rds/postgresql/pricing/");
    public static final Price RDS_GP3_MULTI_AZ = Price.of("RDS gp3 storage, Multi-AZ", "0.254", "per GB-month",
            "https://aws.amazon.com/rds/postgresql/pricing/");
    public static final Price ALB_HOUR = Price.of("Application Load Balancer", "0.0252", "per hour (plus LCUs)",
            "https://aws.amazon.com/elasticloadbalancing/pricing/");
    public static final Price WAF_ACL_AND_RULES = Price.of("WAF web ACL + 3 managed rule groups", "8.00", "per month (plus requests)",
            "https://aws.amazon.com/waf/pricing/");
    public static final Price NAT_HOUR = Price.of("NAT gateway", "0.048", "per hour",
            "https://aws.amazon.com/vpc/pricing/");
    public static final Price NAT_GB = Price.of("NAT gateway data processed", "0.048", "per GB",
            "https://aws.amazon.com/vpc/pricing/");
    public static final Price CROSS_AZ_GB = Price.of("Inter-AZ data transfer (both directions)", "0.02", "per GB",
            "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer");
    public static final Price CLOUDWATCH_LOGS_GB = Price.of("CloudWatch Logs ingestion", "0.57", "per GB",
            "https://aws.amazon.com/cloudwatch/pricing/");
    public static final Price SECRET = Price.of("Secrets Manager secret", "0.40", "per secret-month",
            "https://aws.amazon.com/secrets-manager/pricing/");
    public static final Price SQS_MILLION = Price.of("SQS standard requests", "0.40", "per million",
            "https://aws.amazon.com/sqs/pricing/");
    public static final Price SNOWFLAKE_CREDIT_BC = Price.of("Snowflake credit, Business Critical (PCI DSS), AWS EU (Ireland)",
            "5.20", "per credit", "https://www.snowflake.com/pricing/ (Snowflake Service Consumption Table)");
    public static final Price SNOWFLAKE_STORAGE_TB = Price.of("Snowflake on-demand storage, AWS EU (Ireland)", "23.00",
            "per TB-month", "https://www.snowflake.com/pricing/");
    public static final Price SNOWPIPE_CREDITS_PER_GB = Price.of("Snowpipe file ingestion", "0.0037", "credits per GB",
            "https://docs.snowflake.com/en/user-guide/data-load-snowpipe-billing");

    public static List<Price> all() {
        return List.of(DMS_R6I_XLARGE_MULTI_AZ, DMS_STORAGE_MULTI_AZ, GLUE_DPU_HOUR, MWAA_MEDIUM, MWAA_MEDIUM_WORKER,
                S3_STANDARD, S3_DEEP_ARCHIVE, S3_PUT, S3_GET, S3_DEEP_ARCHIVE_TRANSITION, KMS_KEY, KMS_REQUESTS,
                FARGATE_VCPU, FARGATE_GB, RDS_M7G_LARGE_MULTI_AZ, RDS_GP3_MULTI_AZ, ALB_HOUR, WAF_ACL_AND_RULES,
                NAT_HOUR, NAT_GB, CROSS_AZ_GB, CLOUDWATCH_LOGS_GB, SECRET, SQS_MILLION, SNOWFLAKE_CREDIT_BC,
                SNOWFLAKE_STORAGE_TB, SNOWPIPE_CREDITS_PER_GB);
    }

    private Prices() {
    }
}
