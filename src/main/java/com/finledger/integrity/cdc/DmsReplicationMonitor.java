package com.finledger.integrity.cdc;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.databasemigration.DatabaseMigrationClient;
import software.amazon.awssdk.services.databasemigration.model.DescribeEventsRequest;
import software.amazon.awssdk.services.databasemigration.model.DescribeEventsResponse;
import software.amazon.awssdk.services.databasemigration.model.DescribeReplicationTasksRequest;
import software.amazon.awssdk.services.databasemigration.model.DescribeReplicationTasksResponse;
import software.amazon.awssdk.services.databasemigration.model.DescribeTableStatisticsRequest;
import software.amazon.awssdk.services.databasemigration.model.DescribeTableStatisticsResponse;
import software.amazon.awssdk.services.databasemigration.model.Filter;

/**
 * The replication monitor on AWS DMS (SDK v2): DescribeReplicationTasks, DescribeTableStatistics and
 * DescribeEvents, each followed through its {@code Marker} pages. The SDK retries throttling and 5xx
 * answers with backoff; what still fails becomes a {@link ReplicationMonitorException} naming the call.
 */
public class DmsReplicationMonitor implements ReplicationMonitor {

    static final int PAGE_SIZE = 100;

    private final DatabaseMigrationClient dms;

    public DmsReplicationMonitor(DatabaseMigrationClient dms) {
        this.dms = dms;
    }

    /** A client for one region, optionally at another endpoint (a VPC endpoint, or a stand-in in tests). */
    public static DmsReplicationMonitor create(String region, Optional<URI> endpoint, AwsCredentialsProvider credentials,
                                               Duration callTimeout, int maxAttempts) {
        var builder = DatabaseMigrationClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(callTimeout))
                .overrideConfiguration(o -> o
                        .apiCallTimeout(callTimeout.multipliedBy(maxAttempts))
                        .apiCallAttemptTimeout(callTimeout)
                        .retryStrategy(b -> b.maxAttempts(maxAttempts)));
        endpoint.ifPresent(builder::endpointOverride);
        return new DmsReplicationMonitor(builder.build());
    }

    @Override
    public List<ReplicationTask> tasks() {
        List<ReplicationTask> tasks = new ArrayList<>();
        String marker = null;
        do {
            String page = marker;
            DescribeReplicationTasksResponse r = call("DescribeReplicationTasks", () -> dms.describeReplicationTasks(
                    DescribeReplicationTasksRequest.builder().maxRecords(PAGE_SIZE).marker(page)
                            .withoutSettings(true).build()));
            r.replicationTasks().forEach(t -> tasks.add(new ReplicationTask(t.replicationTaskIdentifier(),
                    t.replicationTaskArn(), t.status(), t.migrationTypeAsString(), t.stopReason(),
                    t.lastFailureMessage(), t.replicationTaskStartDate(), t.recoveryCheckpoint())));
            marker = r.marker();
        } while (marker != null && !marker.isEmpty());
        return tasks;
    }

    @Override
    public List<TableStatistics> tableStatistics(String taskIdentifier) {
        String arn = arnOf(taskIdentifier);
        List<TableStatistics> stats = new ArrayList<>();
        String marker = null;
        do {
            String page = marker;
            DescribeTableStatisticsResponse r = call("DescribeTableStatistics of " + taskIdentifier,
                    () -> dms.describeTableStatistics(DescribeTableStatisticsRequest.builder()
                            .replicationTaskArn(arn).maxRecords(PAGE_SIZE).marker(page).build()));
            r.tableStatistics().forEach(t -> stats.add(new TableStatistics(t.schemaName(), t.tableName(),
                    orZero(t.inserts()), orZero(t.updates()), orZero(t.deletes()), orZero(t.ddls()),
                    orZero(t.fullLoadRows()), t.tableState(), t.lastUpdateTime(), t.fullLoadStartTime())));
            marker = r.marker();
        } while (marker != null && !marker.isEmpty());
        return stats;
    }

    @Override
    public List<ReplicationEvent> events(Instant since) {
        List<ReplicationEvent> events = new ArrayList<>();
        String marker = null;
        do {
            String page = marker;
            DescribeEventsResponse r = call("DescribeEvents", () -> dms.describeEvents(DescribeEventsRequest.builder()
                    .sourceType("replication-task").startTime(since).maxRecords(PAGE_SIZE).marker(page)
                    .build()));
            r.events().forEach(e -> events.add(new ReplicationEvent(e.sourceIdentifier(), e.date(), e.message(),
                    List.copyOf(e.eventCategories()))));
            marker = r.marker();
        } while (marker != null && !marker.isEmpty());
        events.sort(java.util.Comparator.comparing(ReplicationEvent::at));
        return events;
    }

    private String arnOf(String taskIdentifier) {
        DescribeReplicationTasksResponse r = call("DescribeReplicationTasks for " + taskIdentifier,
                () -> dms.describeReplicationTasks(DescribeReplicationTasksRequest.builder()
                        .filters(Filter.builder().name("replication-task-id").values(taskIdentifier).build())
                        .withoutSettings(true).build()));
        return r.replicationTasks().stream().findFirst()
                .orElseThrow(() -> new ReplicationMonitorException("DMS has no replication task '" + taskIdentifier
                        + "' (check connection.dms_task in the catalog)", null))
                .replicationTaskArn();
    }

    private static long orZero(Long value) {
        return value == null ? 0L : value;
    }

    private static <T> T call(String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new ReplicationMonitorException("DMS " + what + " failed: " + firstLine(e.getMessage()), e);
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
