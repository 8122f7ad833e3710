package com.finledger.integrity.matching;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Matching on its own Quartz schedules (clustered: each firing on one instance). Operations: every few
 * minutes, the window-cadence rules over the current 15-minute window and the windows of the look-back
 * before it (late data closes their breaks). Finance: once a day, every rule over the previous business date.
 */
@ApplicationScoped
public class MatchScheduler {

    private static final Logger LOG = Logger.getLogger(MatchScheduler.class);

    @Inject
    MatchRunService runs;

    @Inject
    Clock clock;

    @ConfigProperty(name = "finledger.matching.schedule.enabled", defaultValue = "true")
    boolean enabled;

    @ConfigProperty(name = "finledger.matching.look-back", defaultValue = "PT1H")
    Duration lookBack;

    @ConfigProperty(name = "finledger.matching.finance-zone", defaultValue = "Europe/London")
    String financeZone;

    @Scheduled(identity = "matching-windows", every = "${finledger.matching.every:2m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void windows() {
        if (!enabled) {
            return;
        }
        for (MatchScope scope : windowsToMatch(clock.instant(), lookBack)) {
            try {
                runs.run(scope, "system:scheduler");
            } catch (RuntimeException e) {
                // the run is recorded FAILED; the next firing matches the window again
                LOG.errorf("matching of window %s failed: %s", scope.key(), e.getMessage());
            }
        }
    }

    @Scheduled(identity = "matching-business-date", cron = "${finledger.matching.finance-cron:0 45 6 * * ?}",
            timeZone = "Europe/London", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void businessDate() {
        if (!enabled) {
            return;
        }
        LocalDate yesterday = LocalDate.ofInstant(clock.instant(), ZoneId.of(financeZone)).minusDays(1);
        try {
            runs.runBusinessDate(yesterday, "system:scheduler");
        } catch (RuntimeException e) {
            LOG.errorf("matching of business date %s failed: %s", yesterday, e.getMessage());
        }
    }

    /** The window holding {@code now} and every window starting within the look-back before it, oldest first. */
    static List<MatchScope> windowsToMatch(Instant now, Duration lookBack) {
        long size = MatchScope.WINDOW.toSeconds();
        long current = Math.floorDiv(now.getEpochSecond(), size) * size;
        long first = Math.floorDiv(now.minus(lookBack).getEpochSecond(), size) * size;
        List<MatchScope> scopes = new ArrayList<>();
        for (long start = first; start <= current; start += size) {
            scopes.add(MatchScope.window(Instant.ofEpochSecond(start)));
        }
        return scopes;
    }
}
