package com.finledger.deploy.processing;

import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.glue.CfnSecurityConfiguration;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/** Glue's own encryption settings: S3 output, job bookmarks and continuous logs under customer keys. */
public class GlueSecurity extends Construct {

    private final String name;
    private final IKey logKey;

    public GlueSecurity(Construct scope, String id, String name, IKey dataKey, IKey logKey) {
        super(scope, id);
        this.name = name;
        this.logKey = logKey;
        CfnSecurityConfiguration.Builder.create(this, "Config")
                .name(name)
                .encryptionConfiguration(CfnSecurityConfiguration.EncryptionConfigurationProperty.builder()
                        .s3Encryptions(List.of(CfnSecurityConfiguration.S3EncryptionProperty.builder()
                                .s3EncryptionMode("SSE-KMS").kmsKeyArn(dataKey.getKeyArn()).build()))
                        .cloudWatchEncryption(CfnSecurityConfiguration.CloudWatchEncryptionProperty.builder()
                                .cloudWatchEncryptionMode("SSE-KMS").kmsKeyArn(logKey.getKeyArn()).build())
                        .jobBookmarksEncryption(CfnSecurityConfiguration.JobBookmarksEncryptionProperty.builder()
                                .jobBookmarksEncryptionMode("CSE-KMS").kmsKeyArn(dataKey.getKeyArn()).build())
                        .build())
                .build();
    }

    public String name() {
        return name;
    }

    /** Glue writes its logs under /aws-glue/ and associates them with the log key itself. */
    public void grantLogging(Role role) {
        Stack stack = Stack.of(this);
        String logGroups = "arn:aws:logs:" + stack.getRegion() + ":" + stack.getAccount() + ":log-group:/aws-glue/*";
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"))
                .resources(List.of(logGroups))
                .build());
        com.finledger.deploy.Access.acknowledge(role, "AwsSolutions-IAM5[Resource::" + logGroups + "]",
                "Glue names its log groups itself (/aws-glue/jobs/output, /error, /logs-v2 with the security configuration's suffix).");
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"))
                .resources(List.of(logKey.getKeyArn()))
                .build());
    }

}
