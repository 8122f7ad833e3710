package com.finledger.integrity.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which windows a firing of the operations schedule matches, and how scopes are named. */
class MatchSchedulerTest {

    @Test
    void theCurrentWindowAndTheLookBackBeforeIt() {
        List<String> keys = MatchScheduler.windowsToMatch(Instant.parse("2026-11-02T10:37:12Z"), Duration.ofMinutes(30))
                .stream().map(MatchScope::key).toList();
        assertEquals(List.of("2026-11-02T10:00Z", "2026-11-02T10:15Z", "2026-11-02T10:30Z"), keys);
    }

    @Test
    void scopesParseBackFromTheirKeys() {
        assertEquals("2026-11-02T10:15Z", MatchScope.parse("2026-11-02T10:15Z").key());
        assertEquals("2026-11-02", MatchScope.parse("2026-11-02").key());
        assertThrows(IllegalArgumentException.class, () -> MatchScope.parse("2026-11-02T10:20Z"));
    }
}
