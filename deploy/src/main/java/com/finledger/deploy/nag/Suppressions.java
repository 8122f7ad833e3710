package com.finledger.deploy.nag;

import com.finledger.deploy.Access;
import com.finledger.deploy.FinLedgerApp.Stacks;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.s3.Bucket;

/**
 * Rule-pack findings accepted across whole stacks, each with its reason. Findings about a single
 * resource are acknowledged next to that resource, where the reason is easiest to check.
 */
public final class Suppressions {

    private Suppressions() {
    }

    public static void apply(Stacks stacks) {
        for (Stack stack : stacks.all()) {
            Access.acknowledge(stack, "PCI.DSS.321-IAMNoInlinePolicy",
                    "Each role's policy is written for that role alone, action by action on named prefixes, and reviewed in code; "
                            + "AWS-managed policies are refused (AwsSolutions-IAM4) and shared customer-managed ones would widen roles.");
        }
        for (Bucket bucket : new Bucket[] {stacks.dataLake().logs(), stacks.dataLake().landing(),
                stacks.dataLake().archive(), stacks.dataLake().artifacts()}) {
            Access.acknowledge(bucket, "PCI.DSS.321-S3BucketReplicationEnabled",
                    "Single-region deployment by decision: S3 stores across three AZs, the archive is immutable under Object Lock, "
                            + "and cross-region replication would double storage cost (deploy/COST.md). Revisit with the DR plan.");
        }
    }
}
