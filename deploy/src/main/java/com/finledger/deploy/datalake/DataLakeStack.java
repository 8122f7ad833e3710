package com.finledger.deploy.datalake;

import com.finledger.deploy.Access;
import com.finledger.deploy.DeploySettings;
import com.finledger.deploy.ingestion.PartnerDrop;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.NoncurrentVersionTransition;
import software.amazon.awscdk.services.s3.ObjectLockRetention;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * Where the data rests: the landing bucket every source writes to, the raw archive that keeps what
 * was landed for seven years (tokenised, Object Lock in compliance mode), the artifacts bucket for
 * Glue scripts, DAGs and the dbt project, and the access-log bucket. One customer-managed key
 * encrypts all data buckets and the PAN tokenisation key.
 */
public class DataLakeStack extends Stack {

    /** Seven years of 365 days plus two leap days: the archive's retention and Object Lock period. */
    public static final int ARCHIVE_RETENTION_DAYS = 7 * 365 + 2;
    /** Landing keeps objects in S3 Standard through month-end close and the late-data window. */
    public static final int LANDING_RETENTION_DAYS = 45;
    /** Glue's archive job writes each day's raw data once; it moves to Deep Archive the next day. */
    public static final int ARCHIVE_DEEP_ARCHIVE_AFTER_DAYS = 1;

    private final Key dataKey;
    private final Bucket logs;
    private final Bucket landing;
    private final Bucket archive;
    private final Bucket artifacts;
    private final Secret panTokenKey;
    private final PartnerDrop partnerDrop;

    public DataLakeStack(Construct scope, String id, StackProps props, DeploySettings settings) {
        super(scope, id, props);
        dataKey = Key.Builder.create(this, "DataKey")
                .alias(settings.name("data"))
                .description("FinLedger Integrity: landing, archive and artifacts buckets; PAN tokenisation key")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        // S3 server access logs and ALB access logs can only be delivered to SSE-S3 buckets, so this
        // one bucket uses S3-managed keys; it holds request metadata, never payment data.
        logs = Bucket.Builder.create(this, "AccessLogs")
                .bucketName(settings.bucketName("access-logs"))
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
                .versioned(true)
                .lifecycleRules(List.of(LifecycleRule.builder().id("keep-logs-one-year")
                        .transitions(List.of(Transition.builder().storageClass(StorageClass.GLACIER_INSTANT_RETRIEVAL)
                                .transitionAfter(Duration.days(90)).build()))
                        .expiration(Duration.days(400))
                        .noncurrentVersionExpiration(Duration.days(30))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        String landingName = settings.bucketName("landing");
        landing = Bucket.Builder.create(this, "Landing")
                .bucketName(landingName)
                .encryption(BucketEncryption.KMS)
                .encryptionKey(dataKey)
                .bucketKeyEnabled(true)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .versioned(true)
                .serverAccessLogsBucket(logs)
                .serverAccessLogsPrefix("s3/landing/")
                .lifecycleRules(List.of(LifecycleRule.builder().id("landing-window")
                        .expiration(Duration.days(LANDING_RETENTION_DAYS))
                        // Versions replaced by a resend stay long enough to prove what was replaced.
                        .noncurrentVersionExpiration(Duration.days(LANDING_RETENTION_DAYS))
                        .abortIncompleteMultipartUploadAfter(Duration.days(2))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        archive = Bucket.Builder.create(this, "RawArchive")
                .bucketName(settings.bucketName("raw-archive"))
                .encryption(BucketEncryption.KMS)
                .encryptionKey(dataKey)
                .bucketKeyEnabled(true)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .versioned(true)
                .objectLockEnabled(true)
                .objectLockDefaultRetention(ObjectLockRetention.compliance(Duration.days(ARCHIVE_RETENTION_DAYS)))
                .serverAccessLogsBucket(logs)
                .serverAccessLogsPrefix("s3/raw-archive/")
                .lifecycleRules(List.of(LifecycleRule.builder().id("deep-archive-then-expire")
                        .transitions(List.of(Transition.builder().storageClass(StorageClass.DEEP_ARCHIVE)
                                .transitionAfter(Duration.days(ARCHIVE_DEEP_ARCHIVE_AFTER_DAYS)).build()))
                        .noncurrentVersionTransitions(List.of(NoncurrentVersionTransition.builder()
                                .storageClass(StorageClass.DEEP_ARCHIVE)
                                .transitionAfter(Duration.days(ARCHIVE_DEEP_ARCHIVE_AFTER_DAYS)).build()))
                        // Object Lock refuses deletion before this anyway; after it, the data goes.
                        .expiration(Duration.days(ARCHIVE_RETENTION_DAYS + 1))
                        .abortIncompleteMultipartUploadAfter(Duration.days(2))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        artifacts = Bucket.Builder.create(this, "Artifacts")
                .bucketName(settings.bucketName("artifacts"))
                .encryption(BucketEncryption.KMS)
                .encryptionKey(dataKey)
                .bucketKeyEnabled(true)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .versioned(true) // MWAA requires a versioned source bucket
                .serverAccessLogsBucket(logs)
                .serverAccessLogsPrefix("s3/artifacts/")
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        // The HMAC key behind PAN tokens (src/main/java/com/finledger/integrity/pci/PanTokenizer).
        // It lives beside the data key because both the archive job and the application read it.
        panTokenKey = Secret.Builder.create(this, "PanTokenKey")
                .secretName(settings.name("pan-token-key"))
                .description("FinLedger Integrity: HMAC key for PAN tokens (FINLEDGER_PAN_TOKEN_KEY)")
                .encryptionKey(dataKey)
                .generateSecretString(SecretStringGenerator.builder()
                        .passwordLength(64).excludePunctuation(true).build())
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        Access.acknowledge(panTokenKey, "AwsSolutions-SMG4",
                "Rotating the PAN token key on a timer would change every token and break joins across seven years of archive; "
                        + "rotation is a planned, versioned re-key (deploy/PCI.md, requirement 3.6/3.7).");
        Access.acknowledge(logs, "PCI.DSS.321-S3DefaultEncryptionKMS",
                "S3 server access logs and ALB access logs are delivered only to SSE-S3 buckets; this bucket holds request metadata, never cardholder data.");

        partnerDrop = new PartnerDrop(this, "PartnerDrop", settings, landingName);
        // Native S3 notifications (the application reads their Records[] format) plus EventBridge
        // for the processing stack's rules. Set on the L1 resource: the L2 API would add a Lambda
        // custom resource, and the queue policy names the bucket by its literal ARN so there is no cycle.
        CfnBucket cfnLanding = (CfnBucket) landing.getNode().getDefaultChild();
        cfnLanding.setNotificationConfiguration(CfnBucket.NotificationConfigurationProperty.builder()
                .eventBridgeConfiguration(CfnBucket.EventBridgeConfigurationProperty.builder()
                        .eventBridgeEnabled(true).build())
                .queueConfigurations(List.of(CfnBucket.QueueConfigurationProperty.builder()
                        .event("s3:ObjectCreated:*")
                        .queue(partnerDrop.queue().getQueueArn())
                        .filter(CfnBucket.NotificationFilterProperty.builder()
                                .s3Key(CfnBucket.S3KeyFilterProperty.builder()
                                        .rules(List.of(CfnBucket.FilterRuleProperty.builder()
                                                .name("prefix").value(PartnerDrop.PREFIX).build()))
                                        .build())
                                .build())
                        .build()))
                .build());
        // Depending on the construct covers the queue and its policy: S3 checks the destination on create.
        landing.getNode().addDependency(partnerDrop);
    }

    public Key dataKey() {
        return dataKey;
    }

    public Bucket logs() {
        return logs;
    }

    public Bucket landing() {
        return landing;
    }

    public Bucket archive() {
        return archive;
    }

    public Bucket artifacts() {
        return artifacts;
    }

    public Secret panTokenKey() {
        return panTokenKey;
    }

    public PartnerDrop partnerDrop() {
        return partnerDrop;
    }
}
