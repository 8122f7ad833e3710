package com.finledger.deploy.network;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;

/** Key-policy statements that AWS services need before they can use a customer-managed key. */
public final class KmsPolicies {

    private KmsPolicies() {
    }

    /** CloudWatch Logs encrypts log groups itself, so the key policy must name it (scoped to this account's log groups). */
    public static void allowCloudWatchLogs(IKey key, Stack stack) {
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowCloudWatchLogs")
                .principals(List.of(new ServicePrincipal("logs." + stack.getRegion() + ".amazonaws.com")))
                .actions(List.of("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo",
                        "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"))
                .resources(List.of("*"))
                .conditions(Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn",
                        "arn:aws:logs:" + stack.getRegion() + ":" + stack.getAccount() + ":*")))
                .build());
    }

    /** A service that publishes to an encrypted SNS topic or SQS queue needs data keys from the queue's key. */
    public static void allowServiceToUseForMessaging(IKey key, String servicePrincipal, String sid) {
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid(sid)
                .principals(List.of(new ServicePrincipal(servicePrincipal)))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
                .resources(List.of("*"))
                .build());
    }
}
