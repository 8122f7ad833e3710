package com.finledger.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.iam.Role;
import software.constructs.IConstruct;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * Least-privilege statements written out action by action. The CDK's {@code grantRead}/{@code
 * grantReadWrite} use wildcards such as {@code s3:GetObject*} and {@code s3:DeleteObject*} on the
 * whole bucket; data buckets here get named actions on named prefixes only.
 */
public final class Access {

    private Access() {
    }

    public static PolicyStatement readObjects(IBucket bucket, String... prefixes) {
        return PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject", "s3:GetObjectVersion"))
                .resources(objectArns(bucket, prefixes))
                .build();
    }

    public static PolicyStatement writeObjects(IBucket bucket, String... prefixes) {
        return PolicyStatement.Builder.create()
                .actions(List.of("s3:PutObject", "s3:AbortMultipartUpload"))
                .resources(objectArns(bucket, prefixes))
                .build();
    }

    /** Listing is limited to the same prefixes through the {@code s3:prefix} condition. */
    public static PolicyStatement listPrefixes(IBucket bucket, String... prefixes) {
        List<String> patterns = new ArrayList<>();
        for (String prefix : prefixes) {
            patterns.add(prefix + "*");
        }
        return PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket", "s3:GetBucketLocation"))
                .resources(List.of(bucket.getBucketArn()))
                .conditions(Map.of("StringLike", Map.of("s3:prefix", patterns)))
                .build();
    }

    /**
     * Named object actions on named prefixes, added to the role, with the one wildcard that remains
     * (the object keys under each prefix) acknowledged for AwsSolutions-IAM5 right here.
     */
    public static void grantObjects(Role role, IBucket bucket, List<String> actions, String... prefixes) {
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(actions)
                .resources(objectArns(bucket, prefixes))
                .build());
        Stack stack = Stack.of(bucket);
        String logicalId = (String) stack.resolve(stack.getLogicalId((CfnElement) bucket.getNode().getDefaultChild()));
        for (String prefix : prefixes) {
            acknowledge(role, "AwsSolutions-IAM5[Resource::<" + logicalId + ".Arn>/" + prefix + "*]",
                    "Object-level actions " + actions + " confined to the prefix " + prefix
                            + " of one bucket; the wildcard stands for the object keys under it.");
        }
    }

    public static void readPrefixes(Role role, IBucket bucket, String... prefixes) {
        grantObjects(role, bucket, List.of("s3:GetObject", "s3:GetObjectVersion"), prefixes);
        role.addToPolicy(listPrefixes(bucket, prefixes));
    }

    public static void writePrefixes(Role role, IBucket bucket, String... prefixes) {
        grantObjects(role, bucket, List.of("s3:PutObject", "s3:AbortMultipartUpload"), prefixes);
    }

    /**
     * Acknowledges one rule-pack finding on a construct (and everything under it), with its reason.
     * CDK's {@code Validations.acknowledge} refuses ids with more than one {@code ::}, which cdk-nag's
     * granular IAM4 ids contain ({@code Policy::arn:<AWS::Partition>:iam::aws:...}); those are
     * recorded as the same metadata entry that {@code acknowledge} writes and cdk-nag reads.
     */
    public static void acknowledge(IConstruct scope, String ruleId, String reason) {
        if (ruleId.split("::", -1).length > 2) {
            scope.getNode().addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, Map.of(ruleId, reason));
        } else {
            Validations.of(scope).acknowledge(Acknowledgment.builder().id(ruleId).reason(reason).build());
        }
    }

    public static PolicyStatement decrypt(IKey key) {
        return PolicyStatement.Builder.create()
                .actions(List.of("kms:Decrypt", "kms:DescribeKey"))
                .resources(List.of(key.getKeyArn()))
                .build();
    }

    public static PolicyStatement encryptDecrypt(IKey key) {
        return PolicyStatement.Builder.create()
                .actions(List.of("kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"))
                .resources(List.of(key.getKeyArn()))
                .build();
    }

    /**
     * Read one secret. Written out instead of {@code secret.grantRead} because that puts the reader's
     * ARN into the key policy when the key lives in another stack, which makes the stacks cyclic.
     */
    public static void readSecret(IGrantable reader, ISecret secret, IKey key) {
        reader.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"))
                .resources(List.of(secret.getSecretArn()))
                .build());
        reader.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kms:Decrypt"))
                .resources(List.of(key.getKeyArn()))
                .conditions(Map.of("StringEquals", Map.of("kms:ViaService",
                        "secretsmanager." + Stack.of(secret).getRegion() + ".amazonaws.com")))
                .build());
    }

    private static List<String> objectArns(IBucket bucket, String... prefixes) {
        List<String> arns = new ArrayList<>();
        for (String prefix : prefixes) {
            arns.add(bucket.arnForObjects(prefix + "*"));
        }
        return arns;
    }
}
