package com.finledger.integrity.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A broken edit of rules/ is refused with file:line and the previous valid rule set keeps running. */
@QuarkusTest
class RuleServiceTest {

    @Inject
    RuleService rules;

    @Test
    void aBadRuleFileLeavesThePreviousSetActive() throws IOException {
        Path dir = Files.createTempDirectory("rules");
        try (Stream<Path> files = Files.list(Path.of("rules"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Optional<String> original = rules.directory();
        rules.useDirectory(Optional.of(dir.toString()));
        try {
            List<Rule> before = rules.rules();
            String hashBefore = rules.activeHash();
            Files.writeString(dir.resolve("payments.yaml"), Files.readString(dir.resolve("payments.yaml"))
                    .replace("type: accepted_values", "type: acceptable_values"));

            RuleService.ReloadResult refused = rules.reload("test");

            assertFalse(refused.accepted());
            assertTrue(refused.errors().get(0).matches("payments\\.yaml:\\d+: 'type' must be one of .*"),
                    refused.errors().toString());
            assertEquals(before, rules.rules(), "the previous rules stay active");
            assertEquals(hashBefore, rules.activeHash());
            assertEquals(refused.errors(), rules.lastErrors());

            Files.writeString(dir.resolve("payments.yaml"), Files.readString(dir.resolve("payments.yaml"))
                    .replace("type: acceptable_values", "type: accepted_values").replace("max_change_pct: 50",
                            "max_change_pct: 40"));
            RuleService.ReloadResult accepted = rules.reload("test");

            assertTrue(accepted.accepted());
            assertFalse(accepted.contentHash().equals(hashBefore));
            assertTrue(rules.lastErrors().isEmpty());
        } finally {
            rules.useDirectory(original);
            rules.reload("test");
        }
    }
}
