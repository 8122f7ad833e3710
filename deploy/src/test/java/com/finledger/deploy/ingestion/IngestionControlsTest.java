package com.finledger.deploy.ingestion;

import static com.finledger.deploy.Templates.props;
import static com.finledger.deploy.Templates.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.deploy.Synthesised;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** DMS full load + CDC for the three ledgers, with what the warehouse needs to deduplicate. */
class IngestionControlsTest {

    private final Synthesised synth = Synthesised.get();
    private final Template ingestion = synth.template(synth.stacks.ingestion());

    @Test
    void oneFullLoadAndCdcTaskPerLedgerNamedAsInIngestionConfig() {
        var ids = new TreeSet<String>();
        resources(ingestion, "AWS::DMS::ReplicationTask").values().forEach(task -> {
            assertEquals("full-load-and-cdc", props(task).get("MigrationType"));
            String mappings = (String) props(task).get("TableMappings");
            assertTrue(mappings.contains("\"expression\":\"$AR_H_CHANGE_SEQ\"") && mappings.contains("\"value\":\"_change_seq\""),
                    "every row carries DMS's change sequence as _change_seq");
            ids.add((String) props(task).get("ReplicationTaskIdentifier"));
        });
        assertEquals(new TreeSet<>(List.of("finledger-payments-ledger-cdc", "finledger-refunds-ledger-cdc",
                "finledger-settlements-ledger-cdc")), ids);
    }

    @Test
    void cdcLandsInS3EncryptedWithTheDataKeyWithOperationAndCommitTimestamp() {
        ingestion.resourcePropertiesCountIs("AWS::DMS::Endpoint", Match.objectLike(Map.of(
                "EndpointType", "target",
                "EngineName", "s3",
                "S3Settings", Match.objectLike(Map.of(
                        "EncryptionMode", "SSE_KMS",
                        "DataFormat", "parquet",
                        "IncludeOpForFullLoad", true,
                        "TimestampColumnName", "_commit_ts",
                        "BucketFolder", Match.stringLikeRegexp("dms/.*_ledger"))))), 3);
    }

    @Test
    void ledgerConnectionsUseTlsAndCredentialsFromSecretsManager() {
        ingestion.resourcePropertiesCountIs("AWS::DMS::Endpoint", Match.objectLike(Map.of(
                "EndpointType", "source",
                "SslMode", "require",
                "PostgreSqlSettings", Match.objectLike(Map.of(
                        "SecretsManagerSecretId", Match.anyValue())))), 3);
    }

    @Test
    void replicationInstanceIsPrivateEncryptedAndMultiAz() {
        ingestion.hasResourceProperties("AWS::DMS::ReplicationInstance", Match.objectLike(Map.of(
                "PubliclyAccessible", false, "MultiAZ", true, "KmsKeyId", Match.anyValue())));
    }

    @Test
    void apiExtractorRunsEveryFiveMinutesWithADeadLetterQueue() {
        ingestion.hasResourceProperties("AWS::Scheduler::Schedule", Match.objectLike(Map.of(
                "ScheduleExpression", "rate(5 minutes)",
                "Target", Match.objectLike(Map.of(
                        "Arn", Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                                ":scheduler:::aws-sdk:glue:startJobRun"))),
                        "DeadLetterConfig", Match.objectLike(Map.of("Arn", Match.anyValue())))))));
        ingestion.hasResourceProperties("AWS::Glue::Job", Match.objectLike(Map.of(
                "Name", "finledger-api-extractor", "SecurityConfiguration", "finledger-ingestion")));
    }
}
