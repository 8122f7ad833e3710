package com.finledger.integrity.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.platform.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The match rules are kept like the data-quality rules: a broken edit is refused with file:line, and a
 * start of the application on a broken folder runs the last valid set stored by an earlier run, not the
 * shipped files and not nothing.
 */
@QuarkusTest
class MatchRuleServiceTest {

    @Inject
    MatchRuleService rules;

    @Inject
    DataSource dataSource;

    @Test
    void aStartOnABrokenFolderRunsTheLastValidStoredSet() throws IOException {
        Path dir = Files.createTempDirectory("matching");
        try (Stream<Path> files = Files.list(Path.of("rules/matching"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Path alpha = dir.resolve("payments_vs_alpha.yaml");
        try {
            // a reviewed change: Alpha's breaks are due within three hours instead of four
            Files.writeString(alpha, Files.readString(alpha).replace("sla: PT4H", "sla: PT3H"));
            MatchRuleService.ReloadResult accepted = rules.reload(dir, "test");
            assertTrue(accepted.accepted(), accepted.errors().toString());
            String valid = accepted.contentHash();
            assertEquals(Duration.ofHours(3), rules.rule("payments_vs_alpha").orElseThrow().sla());
            assertEquals(1L, count("select count(*) from audit_log where action = 'match_rules.activated' and subject_id = '"
                    + valid + "'"));

            // then a broken edit on disk, and the application restarts
            Files.writeString(alpha, Files.readString(alpha).replace("reference: payment_reference",
                    "reference: payment_ref"));
            MatchRuleService.ReloadResult restarted = rules.start(dir);

            assertFalse(restarted.accepted());
            int line = lineOf(alpha, "reference: payment_ref");
            assertEquals(List.of("matching/payments_vs_alpha.yaml:" + line
                    + ": column 'payment_ref' is not in the contract of 'alpha_transactions'"), restarted.errors());
            assertEquals(restarted.errors(), rules.lastErrors());
            assertEquals(valid, rules.activeHash(), "the last valid set, restored from the database");
            assertEquals(valid, restarted.contentHash());
            assertEquals(Duration.ofHours(3), rules.rule("payments_vs_alpha").orElseThrow().sla(),
                    "the stored set's edit, not the shipped file");
            assertEquals(new java.util.TreeSet<>(names(Path.of("rules/matching"))),
                    new java.util.TreeSet<>(rules.rules().stream().map(MatchRule::name).toList()));
            assertEquals(1L, count("select count(*) from audit_log where action = 'match_rules.activated' and subject_id = '"
                    + valid + "'"), "restoring the set is not a new activation");
        } finally {
            MatchRuleService.ReloadResult shipped = rules.reload(rules.folder(), "test");
            assertTrue(shipped.accepted());
        }
        assertNotEquals(Duration.ofHours(3), rules.rule("payments_vs_alpha").orElseThrow().sla());
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - 5)).toList();
        }
    }

    private static int lineOf(Path file, String text) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }

    private long count(String sql) {
        return Jdbc.query(dataSource, sql, List.of(), rs -> rs.getLong(1)).get(0);
    }
}
