package com.finledger.deploy.nag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.deploy.Synthesised;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.PolicyViolation;

/** cdk-nag's AWS Solutions and PCI DSS 3.2.1 packs pass over every stack; acknowledgments carry reasons. */
class RulePacksTest {

    private final Synthesised synth = Synthesised.get();

    @Test
    void bothRulePacksRanOverTheApp() {
        assertEquals(List.of("AwsSolutions", "PCI.DSS.321"), List.copyOf(synth.violationsByPack.keySet()));
    }

    @Test
    void awsSolutionsPackFindsNothingUnacknowledged() {
        assertNoViolations("AwsSolutions");
    }

    @Test
    void pciDss321PackFindsNothingUnacknowledged() {
        assertNoViolations("PCI.DSS.321");
    }

    private void assertNoViolations(String pack) {
        List<PolicyViolation> violations = synth.violationsByPack.get(pack);
        String report = violations.stream()
                .map(v -> v.getSeverity() + " " + v.getRuleName() + " on "
                        + v.getViolatingResources().stream().map(r -> r.getConstructPath()).collect(Collectors.joining(", "))
                        + "\n    " + v.getDescription())
                .collect(Collectors.joining("\n"));
        assertTrue(violations.isEmpty(), pack + " findings (fix them, or acknowledge in Suppressions with a reason):\n" + report);
    }
}
