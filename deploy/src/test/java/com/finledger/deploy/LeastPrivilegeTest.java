package com.finledger.deploy;

import static com.finledger.deploy.Templates.list;
import static com.finledger.deploy.Templates.path;
import static com.finledger.deploy.Templates.props;
import static com.finledger.deploy.Templates.resources;
import static com.finledger.deploy.Templates.strings;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** PCI DSS 7.2: no identity or bucket policy in any stack allows a wildcard service action. */
class LeastPrivilegeTest {

    private final Synthesised synth = Synthesised.get();

    @Test
    void noAllowStatementGrantsStarOrServiceWideActions() {
        List<String> offences = new ArrayList<>();
        for (Template template : synth.allTemplates()) {
            for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy")) {
                resources(template, type).forEach((id, policy) -> {
                    for (Map<String, Object> statement : list(path(props(policy), "PolicyDocument", "Statement"))) {
                        if (!"Allow".equals(statement.get("Effect"))) {
                            continue;
                        }
                        for (String action : strings(statement.get("Action"))) {
                            if (action.equals("*") || action.endsWith(":*")) {
                                offences.add(id + ": " + action);
                            }
                        }
                    }
                });
            }
        }
        assertTrue(offences.isEmpty(), "wildcard actions: " + offences);
    }

    @Test
    void noRoleCanDeleteFromTheArchiveOrTouchItsRetention() {
        String archive = (String) synth.stacks.dataLake().resolve(synth.stacks.dataLake().getLogicalId(
                (software.amazon.awscdk.CfnElement) synth.stacks.dataLake().archive().getNode().getDefaultChild()));
        for (Template template : synth.allTemplates()) {
            resources(template, "AWS::IAM::Policy").forEach((id, policy) -> {
                for (Map<String, Object> statement : list(path(props(policy), "PolicyDocument", "Statement"))) {
                    if (String.valueOf(statement.get("Resource")).contains(archive)) {
                        for (String action : strings(statement.get("Action"))) {
                            assertTrue(List.of("s3:PutObject", "s3:AbortMultipartUpload").contains(action),
                                    id + " may only write to the archive, not " + action);
                        }
                    }
                }
            });
        }
    }
}
