package com.finledger.integrity.intake;

import com.finledger.integrity.pipeline.ChangeFileIntake;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import javax.sql.DataSource;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Builds the production SQS intake against a test peer's queue, with the application's own ledgers. */
@ApplicationScoped
public class SqsIntakes {

    @Inject
    PartnerFileIntake partnerFiles;

    @Inject
    ChangeFileIntake changeFiles;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    public SqsIntake sqsIntake(SqsClient sqs, String queueUrl, EventBridgeSink events) {
        return new SqsIntake(sqs, queueUrl, queueUrl + "-dlq", 0, partnerFiles, changeFiles, dataSource, clock, events);
    }
}
