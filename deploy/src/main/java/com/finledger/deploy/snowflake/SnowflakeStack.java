package com.finledger.deploy.snowflake;

import com.finledger.deploy.Access;
import com.finledger.deploy.DeploySettings;
import com.finledger.deploy.datalake.DataLakeStack;
import com.finledger.deploy.ingestion.IngestionStack;
import com.finledger.deploy.ingestion.PartnerDrop;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.Role;
import software.constructs.Construct;

/**
 * The AWS half of Snowflake's storage integration: a role Snowflake's own IAM user may assume only
 * with the integration's external id, reading (never writing) the landing prefixes that feed RAW.
 * The values come from {@code DESC INTEGRATION} in Snowflake (STORAGE_AWS_IAM_USER_ARN,
 * STORAGE_AWS_EXTERNAL_ID) and are passed as context.
 */
public class SnowflakeStack extends Stack {

    public static final List<String> RAW_PREFIXES = List.of(
            IngestionStack.DMS_PREFIX, IngestionStack.API_PREFIX, PartnerDrop.PREFIX, "compacted/");

    private final Role storageIntegrationRole;

    public SnowflakeStack(Construct scope, String id, StackProps props, DeploySettings settings, DataLakeStack dataLake) {
        super(scope, id, props);
        storageIntegrationRole = Role.Builder.create(this, "StorageIntegrationRole")
                .roleName(settings.name("snowflake-storage-integration"))
                .description("Snowflake storage integration: reads landing for RAW (COPY / Snowpipe)")
                .assumedBy(new ArnPrincipal(settings.snowflakeIamUserArn()).withConditions(Map.of(
                        "StringEquals", Map.of("sts:ExternalId", settings.snowflakeExternalId()))))
                .build();
        String[] prefixes = RAW_PREFIXES.toArray(String[]::new);
        Access.readPrefixes(storageIntegrationRole, dataLake.landing(), prefixes);
        storageIntegrationRole.addToPolicy(Access.decrypt(dataLake.dataKey()));
        CfnOutput.Builder.create(this, "StorageAwsRoleArn")
                .description("STORAGE_AWS_ROLE_ARN for CREATE STORAGE INTEGRATION")
                .value(storageIntegrationRole.getRoleArn())
                .build();
    }

    public Role storageIntegrationRole() {
        return storageIntegrationRole;
    }
}
