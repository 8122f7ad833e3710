package com.finledger.deploy;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;

/**
 * What differs between one deployment and the next, read from CDK context ({@code -c key=value} or
 * {@code cdk.json}). The defaults let the stacks synthesise offline for the tests; the placeholders
 * (account 123456789012, the all-zero certificate, the Snowflake principal) must be replaced for a
 * real deployment, and {@link #placeholders()} says which are still in use.
 */
public record DeploySettings(
        String account,
        String region,
        String prefix,
        String certificateArn,
        String ecrRepository,
        String imageTag,
        String alertEmail,
        String snowflakeIamUserArn,
        String snowflakeExternalId,
        boolean createDmsVpcRole) {

    public static final String TEST_ACCOUNT = "123456789012";
    public static final String TEST_REGION = "eu-west-1";

    public static DeploySettings fromContext(App app) {
        String account = context(app, "finledger:account", TEST_ACCOUNT);
        String region = context(app, "finledger:region", TEST_REGION);
        return new DeploySettings(
                account,
                region,
                context(app, "finledger:prefix", "finledger"),
                context(app, "finledger:certificateArn",
                        "arn:aws:acm:" + region + ":" + account + ":certificate/00000000-0000-0000-0000-000000000000"),
                context(app, "finledger:ecrRepository", "finledger-integrity"),
                context(app, "finledger:imageTag", "latest"),
                context(app, "finledger:alertEmail", ""),
                context(app, "snowflake:iamUserArn", "arn:aws:iam::" + account + ":user/snowflake-placeholder"),
                context(app, "snowflake:externalId", "FINLEDGER_SFCRED_PLACEHOLDER"),
                Boolean.parseBoolean(context(app, "finledger:createDmsVpcRole", "true")));
    }

    public Environment environment() {
        return Environment.builder().account(account).region(region).build();
    }

    /** Globally unique S3 names: prefix, purpose, account and region. */
    public String bucketName(String purpose) {
        return prefix + "-" + purpose + "-" + account + "-" + region;
    }

    public String name(String purpose) {
        return prefix + "-" + purpose;
    }

    public java.util.List<String> placeholders() {
        var found = new java.util.ArrayList<String>();
        if (account.equals(TEST_ACCOUNT)) found.add("finledger:account");
        if (certificateArn.contains("00000000-0000")) found.add("finledger:certificateArn");
        if (snowflakeIamUserArn.endsWith("snowflake-placeholder")) found.add("snowflake:iamUserArn");
        if (snowflakeExternalId.endsWith("PLACEHOLDER")) found.add("snowflake:externalId");
        return found;
    }

    private static String context(App app, String key, String fallback) {
        Object value = app.getNode().tryGetContext(key);
        return value == null || value.toString().isBlank() ? fallback : value.toString();
    }
}
