package com.finledger.deploy.ingestion;

import com.finledger.deploy.DeploySettings;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The partner drop: banks put CSV files under {@link #PREFIX} in the landing bucket; S3 tells the
 * application through this queue. A message the application fails to handle five times moves to the
 * dead-letter queue (alarmed in the control plane) instead of being lost.
 *
 * <p>It is built inside the data lake stack because S3 notification configuration is part of the
 * bucket: a queue in another stack would need the bucket and the bucket the queue.
 */
public class PartnerDrop extends Construct {

    /** Same as {@code drop_prefix} in ingestion-config/sources/northbank_partner.yaml. */
    public static final String PREFIX = "landing/";

    private final Queue deadLetters;
    private final Queue queue;

    public PartnerDrop(Construct scope, String id, DeploySettings settings, String landingBucketName) {
        super(scope, id);
        // SQS-managed encryption: messages carry bucket, key, version and size, never file contents.
        deadLetters = Queue.Builder.create(this, "DeadLetters")
                .queueName(settings.name("partner-drop-dlq"))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        queue = Queue.Builder.create(this, "Queue")
                .queueName(settings.name("partner-drop"))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .visibilityTimeout(Duration.minutes(5))
                .retentionPeriod(Duration.days(4))
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetters).maxReceiveCount(5).build())
                .build();
        // Added to the queue's own policy (which already denies non-TLS access): one policy per queue.
        queue.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowLandingBucketNotifications")
                .principals(List.of(new ServicePrincipal("s3.amazonaws.com")))
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(queue.getQueueArn()))
                .conditions(Map.of(
                        "ArnEquals", Map.of("aws:SourceArn", "arn:aws:s3:::" + landingBucketName),
                        "StringEquals", Map.of("aws:SourceAccount", settings.account())))
                .build());
    }

    public Queue queue() {
        return queue;
    }

    public Queue deadLetters() {
        return deadLetters;
    }
}
