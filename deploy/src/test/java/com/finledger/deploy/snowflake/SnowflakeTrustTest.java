package com.finledger.deploy.snowflake;

import static com.finledger.deploy.Templates.path;
import static com.finledger.deploy.Templates.props;
import static com.finledger.deploy.Templates.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.finledger.deploy.Synthesised;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnowflakeTrustTest {

    private final Synthesised synth = Synthesised.get();

    @Test
    void onlySnowflakesUserWithTheExternalIdMayAssumeTheRole() {
        var role = resources(synth.template(synth.stacks.snowflake()), "AWS::IAM::Role").values().iterator().next();
        var statement = ((java.util.List<?>) path(props(role), "AssumeRolePolicyDocument", "Statement")).get(0);
        assertEquals("arn:aws:iam::123456789012:user/snowflake-placeholder", path(statement, "Principal", "AWS"));
        assertEquals(Map.of("sts:ExternalId", "FINLEDGER_SFCRED_PLACEHOLDER"), path(statement, "Condition", "StringEquals"));
    }
}
