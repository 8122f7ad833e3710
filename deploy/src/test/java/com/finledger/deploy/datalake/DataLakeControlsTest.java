package com.finledger.deploy.datalake;

import static com.finledger.deploy.Templates.list;
import static com.finledger.deploy.Templates.path;
import static com.finledger.deploy.Templates.props;
import static com.finledger.deploy.Templates.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.deploy.Synthesised;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** PCI DSS 3.5 / 4.2 / 10.5 and the 7-year immutable retention, proven on the synthesised buckets. */
class DataLakeControlsTest {

    private final Synthesised synth = Synthesised.get();
    private final Template dataLake = synth.template(synth.stacks.dataLake());

    @Test
    void everyDataBucketIsEncryptedWithTheCustomerManagedKeyAndOnlyTheLogBucketUsesS3Keys() {
        String logsId = synth.stacks.dataLake().getLogicalId(
                (software.amazon.awscdk.CfnElement) synth.stacks.dataLake().logs().getNode().getDefaultChild());
        String logsLogicalId = (String) synth.stacks.dataLake().resolve(logsId);
        int dataBuckets = 0;
        for (Template template : synth.allTemplates()) {
            for (var entry : resources(template, "AWS::S3::Bucket").entrySet()) {
                Map<String, Object> sse = list(path(props(entry.getValue()), "BucketEncryption",
                        "ServerSideEncryptionConfiguration")).get(0);
                String algorithm = (String) path(sse, "ServerSideEncryptionByDefault", "SSEAlgorithm");
                if (entry.getKey().equals(logsLogicalId)) {
                    assertEquals("AES256", algorithm, "access-log bucket: SSE-S3 is all S3/ALB log delivery accepts");
                    continue;
                }
                dataBuckets++;
                assertEquals("aws:kms", algorithm, entry.getKey() + " must use SSE-KMS");
                Object keyRef = path(sse, "ServerSideEncryptionByDefault", "KMSMasterKeyID");
                assertTrue(String.valueOf(keyRef).contains("DataKey"), entry.getKey() + " must use the data CMK, was " + keyRef);
            }
        }
        assertEquals(3, dataBuckets, "landing, raw archive, artifacts");
    }

    @Test
    void theDataKeyIsCustomerManagedAndRotates() {
        dataLake.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
        for (Template t : synth.allTemplates()) {
            resources(t, "AWS::KMS::Key").forEach((id, key) ->
                    assertEquals(true, props(key).get("EnableKeyRotation"), id + " must rotate"));
        }
    }

    @Test
    void everyBucketRefusesRequestsWithoutTls() {
        Map<String, Map<String, Object>> buckets = resources(dataLake, "AWS::S3::Bucket");
        Map<String, Map<String, Object>> policies = resources(dataLake, "AWS::S3::BucketPolicy");
        for (String bucketId : buckets.keySet()) {
            boolean denied = policies.values().stream()
                    .filter(p -> String.valueOf(props(p).get("Bucket")).contains(bucketId))
                    .flatMap(p -> list(path(props(p), "PolicyDocument", "Statement")).stream())
                    .anyMatch(s -> "Deny".equals(s.get("Effect"))
                            && "false".equals(String.valueOf(path(s, "Condition", "Bool", "aws:SecureTransport"))));
            assertTrue(denied, bucketId + " has no deny for aws:SecureTransport=false");
        }
    }

    @Test
    void noBucketCanBeMadePublic() {
        for (Template template : synth.allTemplates()) {
            resources(template, "AWS::S3::Bucket").forEach((id, bucket) -> assertEquals(
                    Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                    props(bucket).get("PublicAccessBlockConfiguration"), id));
        }
    }

    @Test
    void dataBucketsAreVersionedAndLogTheirAccess() {
        for (String id : List.of("Landing", "RawArchive", "Artifacts")) {
            dataLake.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                    "BucketName", Match.stringLikeRegexp(".*" + id.toLowerCase().replace("rawarchive", "raw-archive") + ".*"),
                    "VersioningConfiguration", Map.of("Status", "Enabled"),
                    "LoggingConfiguration", Match.objectLike(Map.of("LogFilePrefix", Match.stringLikeRegexp("s3/.*"))))));
        }
    }

    @Test
    void rawArchiveIsLockedInComplianceModeForSevenYearsAndTiersToDeepArchive() {
        dataLake.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "ObjectLockEnabled", true,
                "ObjectLockConfiguration", Map.of("ObjectLockEnabled", "Enabled",
                        "Rule", Map.of("DefaultRetention", Map.of("Mode", "COMPLIANCE", "Days", 2557))),
                "LifecycleConfiguration", Map.of("Rules", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Status", "Enabled",
                        "Transitions", List.of(Map.of("StorageClass", "DEEP_ARCHIVE", "TransitionInDays", 1)),
                        "ExpirationInDays", 2558))))))));
        assertTrue(DataLakeStack.ARCHIVE_RETENTION_DAYS >= 7 * 365, "seven years at least");
    }

    @Test
    void partnerDropNotifiesItsQueueWhichHasADeadLetterQueue() {
        dataLake.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "NotificationConfiguration", Map.of(
                        "EventBridgeConfiguration", Map.of("EventBridgeEnabled", true),
                        "QueueConfigurations", List.of(Match.objectLike(Map.of(
                                "Event", "s3:ObjectCreated:*",
                                "Filter", Map.of("S3Key", Map.of("Rules", List.of(Map.of("Name", "prefix", "Value", "landing/")))))))))));
        dataLake.hasResourceProperties("AWS::SQS::Queue", Match.objectLike(Map.of(
                "QueueName", "finledger-partner-drop",
                "RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", 5)))));
        assertFalse(resources(dataLake, "AWS::Lambda::Function").size() > 0,
                "notifications are set on the bucket itself, without the CDK's Lambda custom resource");
    }
}
