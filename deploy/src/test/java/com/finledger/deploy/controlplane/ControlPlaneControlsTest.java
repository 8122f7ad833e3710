package com.finledger.deploy.controlplane;

import static com.finledger.deploy.Templates.props;
import static com.finledger.deploy.Templates.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.deploy.Synthesised;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class ControlPlaneControlsTest {

    private final Synthesised synth = Synthesised.get();
    private final Template controlPlane = synth.template(synth.stacks.controlPlane());

    @Test
    void databaseIsEncryptedMultiAzAndPrivate() {
        controlPlane.hasResourceProperties("AWS::RDS::DBInstance", Match.objectLike(Map.of(
                "StorageEncrypted", true,
                "KmsKeyId", Match.anyValue(),
                "MultiAZ", true,
                "PubliclyAccessible", false,
                "DeletionProtection", true,
                "Engine", "postgres")));
    }

    @Test
    void databaseRefusesConnectionsWithoutTls() {
        controlPlane.hasResourceProperties("AWS::RDS::DBParameterGroup", Match.objectLike(Map.of(
                "Parameters", Match.objectLike(Map.of("rds.force_ssl", "1", "ssl_min_protocol_version", "TLSv1.2")))));
    }

    @Test
    void applicationIsReachedOnlyOverTlsThroughTheWaf() {
        var listeners = resources(controlPlane, "AWS::ElasticLoadBalancingV2::Listener");
        assertEquals(1, listeners.size(), "one listener, no plain-HTTP port");
        var listener = props(listeners.values().iterator().next());
        assertEquals("HTTPS", listener.get("Protocol"));
        assertTrue(String.valueOf(listener.get("SslPolicy")).startsWith("ELBSecurityPolicy-TLS13"), "TLS 1.2+ policy");
        controlPlane.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Match.objectLike(Map.of(
                "Scheme", "internal")));
        controlPlane.resourceCountIs("AWS::WAFv2::WebACLAssociation", 1);
        controlPlane.resourceCountIs("AWS::WAFv2::LoggingConfiguration", 1);
    }

    @Test
    void credentialsAndThePanTokenKeyComeFromSecretsManager() {
        var containers = (List<?>) props(resources(controlPlane, "AWS::ECS::TaskDefinition").values().iterator().next())
                .get("ContainerDefinitions");
        var secrets = ((List<?>) ((Map<?, ?>) containers.get(0)).get("Secrets")).stream()
                .map(s -> ((Map<?, ?>) s).get("Name")).toList();
        assertTrue(secrets.containsAll(List.of("FINLEDGER_DB_USER", "FINLEDGER_DB_PASSWORD", "FINLEDGER_PAN_TOKEN_KEY",
                "FINLEDGER_OIDC_CLIENT_SECRET")), "secrets injected: " + secrets);
        var environment = String.valueOf(((Map<?, ?>) containers.get(0)).get("Environment"));
        assertTrue(!environment.contains("PASSWORD") && !environment.contains("TOKEN_KEY"), "no secret in plain environment");
    }

    @Test
    void alertsTopicIsEncryptedAndAlarmsWatchTheWholePipeline() {
        controlPlane.hasResourceProperties("AWS::SNS::Topic", Match.objectLike(Map.of("KmsMasterKeyId", Match.anyValue())));
        var alarms = resources(controlPlane, "AWS::CloudWatch::Alarm");
        var metrics = alarms.values().stream().map(a -> props(a).get("MetricName") + "").toList();
        assertTrue(metrics.containsAll(List.of("HTTPCode_Target_5XX_Count", "UnHealthyHostCount", "CPUUtilization",
                "FreeStorageSpace", "ApproximateNumberOfMessagesVisible", "CDCLatencySource")), "alarms on " + metrics);
        assertEquals(3, metrics.stream().filter("CDCLatencySource"::equals).count(), "one CDC alarm per ledger");
        alarms.forEach((id, alarm) -> assertTrue(String.valueOf(props(alarm).get("AlarmActions")).contains("Alerts"),
                id + " must notify the alert topic"));
    }
}
