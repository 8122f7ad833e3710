package com.finledger.integrity.intake;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Runs the partner-file intake in production: the SQS event intake polled continuously (when
 * {@code finledger.intake.sqs.queue-url} is set) by {@code finledger.intake.sqs.receivers} receivers at once,
 * each receiving again at once while the queue gives messages, the dead-letter queue drained into the
 * rejected messages, and the daily inventory sweep that catches files whose event was lost.
 */
@ApplicationScoped
public class IntakeScheduler {

    private static final Logger LOG = Logger.getLogger(IntakeScheduler.class);

    @ConfigProperty(name = "finledger.intake.sqs.queue-url")
    Optional<String> queueUrl;

    @ConfigProperty(name = "finledger.intake.sqs.dead-letter-queue-url")
    Optional<String> deadLetterUrl;

    @ConfigProperty(name = "finledger.intake.sqs.endpoint")
    Optional<URI> endpoint;

    @ConfigProperty(name = "finledger.intake.sqs.region", defaultValue = "eu-west-1")
    String region;

    @ConfigProperty(name = "finledger.intake.sqs.wait-seconds", defaultValue = "20")
    int waitSeconds;

    /** Receivers polling the queue at once (each a long poll of up to 10 messages). */
    @ConfigProperty(name = "finledger.intake.sqs.receivers", defaultValue = "2")
    int receivers;

    /** How long one scheduled poll keeps receiving while the queue gives full batches. */
    @ConfigProperty(name = "finledger.intake.sqs.drain-for", defaultValue = "PT50S")
    Duration drainFor;

    private volatile java.util.concurrent.ExecutorService receiverPool;

    @Inject
    PartnerFileIntake intake;

    @Inject
    ExpectedFiles expected;

    @Inject
    com.finledger.integrity.pipeline.ChangeFileIntake changeFiles;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    @Inject
    EventBridgeSink awsEvents;

    private volatile SqsIntake sqsIntake;

    private Optional<SqsIntake> sqs() {
        if (queueUrl.isEmpty()) {
            return Optional.empty();
        }
        if (sqsIntake == null) {
            var builder = SqsClient.builder().region(Region.of(region))
                    .credentialsProvider(DefaultCredentialsProvider.builder().build())
                    .httpClientBuilder(UrlConnectionHttpClient.builder()
                            .connectionTimeout(Duration.ofSeconds(5))
                            .socketTimeout(Duration.ofSeconds(waitSeconds + 10L)))
                    // a long poll waits waitSeconds by design; no call may hang past it plus a margin
                    .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofSeconds(waitSeconds + 15L))
                            .apiCallTimeout(Duration.ofSeconds(3 * (waitSeconds + 15L))));
            endpoint.ifPresent(builder::endpointOverride);
            sqsIntake = new SqsIntake(builder.build(), queueUrl.get(), deadLetterUrl.orElse(queueUrl.get() + "-dlq"),
                    waitSeconds, intake, changeFiles, dataSource, clock, awsEvents);
        }
        return Optional.of(sqsIntake);
    }

    /** The intake queue's depth, when a queue is configured (for readiness and the queue-depth gauge). */
    public Optional<Long> queueDepth() {
        return sqs().map(SqsIntake::depth);
    }

    /** One poll of the intake queue now, as the schedule does it (empty when no queue is configured). */
    public Optional<SqsIntake.Poll> pollNow() {
        return sqs().map(SqsIntake::pollOnce);
    }

    /**
     * One receiver's turn: polls, and polls again at once while a poll gives messages (SQS may answer fewer than
     * 10 even when more wait) and {@code budget} has not passed, so a busy queue is drained at the rate the intake
     * can apply, not one batch per schedule tick. Returns the messages received.
     */
    public static long drain(SqsIntake intake, Duration budget) {
        long until = System.nanoTime() + budget.toNanos();
        long received = 0;
        SqsIntake.Poll poll;
        do {
            poll = intake.pollOnce();
            received += poll.received();
        } while (poll.received() > 0 && System.nanoTime() < until);
        return received;
    }

    @Scheduled(identity = "intake-sqs-poll", every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        sqs().ifPresent(s -> {
            if (receivers <= 1) {
                drain(s, drainFor);
                return;
            }
            if (receiverPool == null) {
                synchronized (this) {
                    if (receiverPool == null) {
                        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
                        receiverPool = java.util.concurrent.Executors.newFixedThreadPool(receivers - 1, r -> {
                            Thread t = new Thread(r, "intake-sqs-receiver-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
                    }
                }
            }
            java.util.List<java.util.concurrent.Future<Long>> others = new java.util.ArrayList<>();
            for (int i = 1; i < receivers; i++) {
                others.add(receiverPool.submit(() -> drain(s, drainFor)));
            }
            drain(s, drainFor);
            for (java.util.concurrent.Future<Long> f : others) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    LOG.errorf("an intake receiver failed: %s", e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }

    @jakarta.annotation.PreDestroy
    void stopReceivers() {
        if (receiverPool != null) {
            receiverPool.shutdownNow();
        }
    }

    @Scheduled(identity = "intake-dead-letters", every = "10m", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deadLetters() {
        sqs().ifPresent(s -> {
            int n = s.drainDeadLetters();
            if (n > 0) {
                LOG.errorf("%d dead-lettered intake message(s) kept in intake_rejected_message", n);
            }
        });
    }

    @Scheduled(identity = "expected-files", every = "5m", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expectedFiles() {
        expected.check("system:calendar");
    }

    @Scheduled(identity = "intake-inventory-sweep", cron = "${finledger.intake.sweep-cron:0 15 7 * * ?}",
            timeZone = "Europe/London", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (sqs().isPresent()) {
            // with events, DMS change files are announced; the sweep catches those whose event was lost
            int changeFilesTaken = changeFiles.sweep("system:sweep");
            if (changeFilesTaken > 0) {
                LOG.warnf("inventory sweep took %d DMS change file(s) whose event never came", changeFilesTaken);
            }
        }
        var taken = intake.sweep("system:sweep");
        if (!taken.isEmpty()) {
            LOG.warnf("inventory sweep took %d partner file(s) whose event never came", taken.size());
        }
    }
}
