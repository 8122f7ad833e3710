package com.finledger.integrity.recovery;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.databasemigration.DatabaseMigrationClient;
import software.amazon.awssdk.services.databasemigration.model.DescribeReplicationTasksRequest;
import software.amazon.awssdk.services.databasemigration.model.Filter;
import software.amazon.awssdk.services.databasemigration.model.ReplicationTask;
import software.amazon.awssdk.services.databasemigration.model.StartReplicationTaskRequest;

/**
 * AWS DMS (SDK v2): the task is found by its identifier (DescribeReplicationTasks with a
 * {@code replication-task-id} filter), then StartReplicationTask with {@code resume-processing} or
 * {@code reload-target}.
 */
public class AwsDmsTasks implements DmsTasks {

    private final DatabaseMigrationClient dms;

    public AwsDmsTasks(DatabaseMigrationClient dms) {
        this.dms = dms;
    }

    @Override
    public String status(String taskIdentifier) {
        return task(taskIdentifier).status();
    }

    @Override
    public String start(String taskIdentifier, StartType type) {
        ReplicationTask task = task(taskIdentifier);
        try {
            return dms.startReplicationTask(StartReplicationTaskRequest.builder()
                    .replicationTaskArn(task.replicationTaskArn())
                    .startReplicationTaskType(type.dms())
                    .build()).replicationTask().status();
        } catch (SdkException e) {
            throw new IllegalStateException("DMS StartReplicationTask " + type.dms() + " of " + taskIdentifier + " failed: "
                    + e.getMessage(), e);
        }
    }

    private ReplicationTask task(String identifier) {
        try {
            return dms.describeReplicationTasks(DescribeReplicationTasksRequest.builder()
                            .filters(Filter.builder().name("replication-task-id").values(identifier).build())
                            .withoutSettings(true).build())
                    .replicationTasks().stream().findFirst()
                    .orElseThrow(() -> new java.util.NoSuchElementException("DMS has no replication task " + identifier));
        } catch (SdkException e) {
            throw new IllegalStateException("DMS DescribeReplicationTasks of " + identifier + " failed: " + e.getMessage(), e);
        }
    }
}
