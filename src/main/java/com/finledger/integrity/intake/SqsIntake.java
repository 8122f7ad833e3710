package com.finledger.integrity.intake;

import com.finledger.integrity.pipeline.ChangeFileIntake;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The event intake: S3 {@code ObjectCreated} notifications from an SQS queue, long-polled, for partner
 * files and for the change files DMS writes (into the landing ledger per business date). A message
 * is deleted only after every file it announces has been taken and decided (committed); one that
 * fails stays, comes back after its visibility timeout, and after the queue's {@code maxReceiveCount}
 * SQS moves it to the dead-letter queue. Messages that are not S3 notifications, and everything
 * that reaches the dead-letter queue, are kept in {@code intake_rejected_message} with the reason.
 */
public class SqsIntake {

    private static final Logger LOG = Logger.getLogger(SqsIntake.class);

    private final SqsClient sqs;
    private final String queueUrl;
    private final String deadLetterUrl;
    private final int waitSeconds;
    private final PartnerFileIntake intake;
    private final ChangeFileIntake changeFiles;
    private final DataSource dataSource;
    private final Clock clock;
    private final EventBridgeSink events;

    public SqsIntake(SqsClient sqs, String queueUrl, String deadLetterUrl, int waitSeconds, PartnerFileIntake intake,
                     ChangeFileIntake changeFiles, DataSource dataSource, Clock clock) {
        this(sqs, queueUrl, deadLetterUrl, waitSeconds, intake, changeFiles, dataSource, clock, null);
    }

    /** With {@code events}, EventBridge events on the queue (DMS, Glue, AppFlow, S3) are also handed to it. */
    public SqsIntake(SqsClient sqs, String queueUrl, String deadLetterUrl, int waitSeconds, PartnerFileIntake intake,
                     ChangeFileIntake changeFiles, DataSource dataSource, Clock clock, EventBridgeSink events) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.deadLetterUrl = deadLetterUrl;
        this.waitSeconds = waitSeconds;
        this.intake = intake;
        this.changeFiles = changeFiles;
        this.dataSource = dataSource;
        this.clock = clock;
        this.events = events;
    }

    public record Poll(int received, int filesTaken, int rejected, int leftForRetry) {
    }

    /** One long poll of up to 10 messages. */
    public Poll pollOnce() {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(waitSeconds).messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages();
        int taken = 0;
        int rejected = 0;
        int retry = 0;
        List<Message> done = new java.util.ArrayList<>(messages.size());
        // each body is read into its JSON tree once; the batch's events are then applied together
        List<Message> eventMessages = new java.util.ArrayList<>();
        List<EventBridgeSink.Delivery> deliveries = new java.util.ArrayList<>();
        for (Message m : messages) {
            List<PartnerFileIntake.ObjectRef> refs;
            com.fasterxml.jackson.databind.JsonNode root;
            boolean eventBridge;
            try {
                root = S3EventNotifications.read(m.body());
                eventBridge = S3EventNotifications.isEventBridge(root);
                refs = S3EventNotifications.parse(root);
                if (events == null && refs.isEmpty() && eventBridge) {
                    throw new IllegalArgumentException("an EventBridge event, and this intake takes none");
                }
            } catch (IllegalArgumentException e) {
                keep(queueUrl, m, e.getMessage());
                done.add(m);
                rejected++;
                continue;
            }
            try {
                for (PartnerFileIntake.ObjectRef ref : refs) {
                    if (intake.take(ref, "event", "system:intake").isPresent()
                            || changeFiles.take(new ObjectStore.StoredObject(ref.key(), ref.versionId(), ref.size(),
                            null, ref.arrivedAt(), java.util.Map.of()), "system:intake").isPresent()) {
                        taken++;
                    } else {
                        LOG.warnf("s3://%s/%s is neither a partner file nor a CDC change file; not taken", ref.bucket(),
                                ref.key());
                    }
                }
                if (events != null && eventBridge) {
                    eventMessages.add(m);
                    deliveries.add(new EventBridgeSink.Delivery(root, m.body()));
                } else {
                    done.add(m);
                }
            } catch (RuntimeException e) {
                retry++;
                staysQueued(m, e);
            }
        }
        if (!deliveries.isEmpty()) {
            List<RuntimeException> outcomes;
            try {
                outcomes = events.acceptAll(deliveries);
            } catch (RuntimeException e) {
                outcomes = java.util.Collections.nCopies(deliveries.size(), e);
            }
            for (int i = 0; i < eventMessages.size(); i++) {
                Message m = eventMessages.get(i);
                RuntimeException failure = outcomes.get(i);
                if (failure == null) {
                    done.add(m);
                } else if (failure instanceof IllegalArgumentException) {
                    keep(queueUrl, m, failure.getMessage());
                    rejected++;
                    done.add(m);
                } else {
                    retry++;
                    staysQueued(m, failure);
                }
            }
        }
        deleteAll(queueUrl, done);
        return new Poll(messages.size(), taken, rejected, retry);
    }

    private static void staysQueued(Message m, RuntimeException failure) {
        LOG.errorf("message %s (receive %s) failed and stays on the queue: %s", m.messageId(),
                m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT), failure.getMessage());
    }

    /** Messages waiting on the queue (approximate, as SQS counts them); throws when the queue cannot be reached. */
    public long depth() {
        return Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().getOrDefault(
                        software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
    }

    /** Moves everything in the dead-letter queue into the rejected-message table. Returns how many. */
    public int drainDeadLetters() {
        int drained = 0;
        while (true) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(deadLetterUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(0).messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .messages();
            if (messages.isEmpty()) {
                return drained;
            }
            for (Message m : messages) {
                keep(deadLetterUrl, m, "dead-lettered: the intake failed on it repeatedly");
                delete(deadLetterUrl, m);
                drained++;
            }
        }
    }

    private void keep(String queue, Message m, String reason) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into intake_rejected_message (queue, message_id, body, reason, received_at)
                values (?, ?, ?, ?, ?) on conflict (queue, message_id) do nothing""")) {
            ps.setString(1, queue);
            ps.setString(2, m.messageId());
            ps.setString(3, m.body());
            ps.setString(4, reason);
            ps.setTimestamp(5, Timestamp.from(clock.instant()));
            ps.executeUpdate();
            LOG.warnf("SQS message %s kept as rejected: %s", m.messageId(), reason);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot keep rejected message " + m.messageId() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the messages decided in one poll with one DeleteMessageBatch call (at most 10, as one receive gives);
     * an entry SQS refuses is only logged: it comes back and is recognised by the ledgers, so nothing is doubled.
     */
    private void deleteAll(String queue, List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        if (messages.size() == 1) {
            delete(queue, messages.get(0));
            return;
        }
        List<software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            entries.add(software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i)).receiptHandle(m.receiptHandle()).build());
        }
        try {
            var result = sqs.deleteMessageBatch(b -> b.queueUrl(queue).entries(entries));
            result.failed().forEach(f -> LOG.warnf("could not delete SQS message %s: %s %s",
                    messages.get(Integer.parseInt(f.id())).messageId(), f.code(), f.message()));
        } catch (SdkException e) {
            LOG.warnf("could not delete %d SQS messages: %s", messages.size(), e.getMessage());
        }
    }

    private void delete(String queue, Message m) {
        try {
            sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
        } catch (SdkException e) {
            // not deleted: it comes back and is recognised by the file ledger, so nothing is doubled
            LOG.warnf("could not delete SQS message %s: %s", m.messageId(), e.getMessage());
        }
    }

}
