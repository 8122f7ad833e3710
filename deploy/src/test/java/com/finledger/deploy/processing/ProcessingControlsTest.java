package com.finledger.deploy.processing;

import static com.finledger.deploy.Templates.path;
import static com.finledger.deploy.Templates.props;
import static com.finledger.deploy.Templates.resources;
import static com.finledger.deploy.Templates.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.deploy.Synthesised;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class ProcessingControlsTest {

    private final Synthesised synth = Synthesised.get();
    private final Template processing = synth.template(synth.stacks.processing());

    @Test
    void glueJobsRunUnderASecurityConfigurationThatEncryptsEverything() {
        resources(processing, "AWS::Glue::Job").values().forEach(job ->
                assertEquals("finledger-processing", props(job).get("SecurityConfiguration")));
        processing.hasResourceProperties("AWS::Glue::SecurityConfiguration", Match.objectLike(Map.of(
                "EncryptionConfiguration", Map.of(
                        "S3Encryptions", Match.arrayWith(java.util.List.of(Match.objectLike(Map.of("S3EncryptionMode", "SSE-KMS")))),
                        "CloudWatchEncryption", Match.objectLike(Map.of("CloudWatchEncryptionMode", "SSE-KMS")),
                        "JobBookmarksEncryption", Match.objectLike(Map.of("JobBookmarksEncryptionMode", "CSE-KMS"))))));
        assertEquals(new TreeSet<>(java.util.List.of("finledger-landing-compaction", "finledger-raw-archive")),
                new TreeSet<>(resources(processing, "AWS::Glue::Job").values().stream().map(j -> (String) props(j).get("Name")).toList()));
    }

    @Test
    void airflowIsPrivateEncryptedAndLogsEveryComponent() {
        processing.hasResourceProperties("AWS::MWAA::Environment", Match.objectLike(Map.of(
                "WebserverAccessMode", "PRIVATE_ONLY",
                "KmsKey", Match.anyValue(),
                "DagS3Path", "mwaa/dags",
                "RequirementsS3Path", "mwaa/requirements.txt",
                "PluginsS3Path", "mwaa/plugins.zip")));
        var logging = (Map<?, ?>) props(resources(processing, "AWS::MWAA::Environment").values().iterator().next())
                .get("LoggingConfiguration");
        assertEquals(5, logging.size());
        logging.values().forEach(v -> assertEquals(true, ((Map<?, ?>) v).get("Enabled")));
    }

    @Test
    void dmsGlueAppFlowAndS3EventsReachTheApplicationQueueWithADeadLetterQueue() {
        var sources = new TreeSet<String>();
        resources(processing, "AWS::Events::Rule").values().forEach(rule -> {
            sources.addAll(strings(path(props(rule), "EventPattern", "source")));
            var target = ((java.util.List<?>) props(rule).get("Targets")).get(0);
            assertTrue(String.valueOf(path(target, "Arn")).contains("AwsEvents"), "target is the aws-events queue");
            assertTrue(path(target, "DeadLetterConfig", "Arn") != null, "target has a dead-letter queue");
        });
        assertEquals(new TreeSet<>(java.util.List.of("aws.appflow", "aws.dms", "aws.glue", "aws.s3")), sources);
    }
}
