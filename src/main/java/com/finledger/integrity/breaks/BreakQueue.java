package com.finledger.integrity.breaks;

import com.finledger.integrity.breaks.BreakCase.State;
import com.finledger.integrity.matching.MatchRule.Reason;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The ops break queue: filtering on the server, a page at a time, and the figures its charts draw. */
@ApplicationScoped
public class BreakQueue {

    public static final int PAGE_SIZE = 50;

    /** Age buckets of the ageing chart and the age filter, by how long a break has been known. */
    public enum AgeBucket {
        UNDER_1H("< 1 h", Duration.ZERO, Duration.ofHours(1)),
        H1_TO_4H("1–4 h", Duration.ofHours(1), Duration.ofHours(4)),
        H4_TO_1D("4–24 h", Duration.ofHours(4), Duration.ofDays(1)),
        D1_TO_3D("1–3 d", Duration.ofDays(1), Duration.ofDays(3)),
        OVER_3D("> 3 d", Duration.ofDays(3), null);

        public final String label;
        final Duration from;
        final Duration to;

        AgeBucket(String label, Duration from, Duration to) {
            this.label = label;
            this.from = from;
            this.to = to;
        }

        static AgeBucket of(Duration age) {
            for (AgeBucket b : values()) {
                if (b.to == null || age.compareTo(b.to) < 0) {
                    return b;
                }
            }
            return OVER_3D;
        }
    }

    /**
     * The queue's filters; null means any. {@code minAmount} is in major units (all our currencies have two
     * decimals) and compared exactly in minor units; {@code states} defaults to the open ones.
     */
    public record Filter(List<State> states, String processor, String partner, Reason reason, AgeBucket age,
                         BigDecimal minAmount, String owner, String rule) {

        public static Filter open() {
            return new Filter(List.of(State.OPEN, State.INVESTIGATING), null, null, null, null, null, null, null);
        }
    }

    public record Result(List<BreakCase> breaks, long total, int page, int pages) {
    }

    @Inject
    Clock clock;

    public Result search(Filter f, int page) {
        if (page < 0) {
            throw new IllegalArgumentException("page: 0 or more");
        }
        StringBuilder q = new StringBuilder("state in :states");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("states", f.states() == null || f.states().isEmpty() ? List.of(State.OPEN, State.INVESTIGATING) : f.states());
        if (f.processor() != null) {
            q.append(" and processor = :processor");
            p.put("processor", f.processor());
        }
        if (f.partner() != null) {
            q.append(" and partner = :partner");
            p.put("partner", f.partner());
        }
        if (f.reason() != null) {
            q.append(" and reason = :reason");
            p.put("reason", f.reason());
        }
        if (f.owner() != null) {
            if (f.owner().equals("-")) {
                q.append(" and owner is null");
            } else {
                q.append(" and owner = :owner");
                p.put("owner", f.owner());
            }
        }
        if (f.rule() != null) {
            q.append(" and ruleName = :rule");
            p.put("rule", f.rule());
        }
        if (f.minAmount() != null) {
            if (f.minAmount().signum() < 0 || f.minAmount().scale() > 2) {
                throw new IllegalArgumentException("min_amount: a non-negative amount with at most two decimals");
            }
            q.append(" and amountAtRiskMinor >= :minAmount");
            p.put("minAmount", f.minAmount().movePointRight(2).longValueExact());
        }
        if (f.age() != null) {
            Instant now = clock.instant();
            q.append(" and firstSeenAt <= :ageFrom");
            p.put("ageFrom", now.minus(f.age().from));
            if (f.age().to != null) {
                q.append(" and firstSeenAt > :ageTo");
                p.put("ageTo", now.minus(f.age().to));
            }
        }
        var query = BreakCase.<BreakCase>find(q.toString(), Sort.descending("amountAtRiskMinor").and("id"), p);
        long total = query.count();
        List<BreakCase> breaks = query.page(Page.of(page, PAGE_SIZE)).list();
        int pages = (int) Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
        return new Result(breaks, total, page, pages);
    }

    public record AgeCount(String bucket, long count) {
    }

    /** Open breaks per age bucket (for the ageing chart), all buckets present. */
    public List<AgeCount> ageing() {
        Instant now = clock.instant();
        Map<AgeBucket, Long> counts = new LinkedHashMap<>();
        for (AgeBucket b : AgeBucket.values()) {
            counts.put(b, 0L);
        }
        List<Instant> seen = BreakCase.getEntityManager().createQuery(
                "select b.firstSeenAt from BreakCase b where b.state in :open", Instant.class)
                .setParameter("open", List.of(State.OPEN, State.INVESTIGATING)).getResultList();
        for (Instant first : seen) {
            counts.merge(AgeBucket.of(Duration.between(first, now)), 1L, Long::sum);
        }
        List<AgeCount> out = new ArrayList<>();
        counts.forEach((b, n) -> out.add(new AgeCount(b.label, n)));
        return out;
    }

    public record CurrencyAmount(String currency, long amountMinor, long breaks) {

        public String amount() {
            return BreakViews.money(amountMinor, currency);
        }
    }

    /** Amount at risk of the open breaks per currency: never summed across currencies. */
    public List<CurrencyAmount> amountAtRisk() {
        Map<String, long[]> sums = new TreeMap<>();
        List<Object[]> rows = BreakCase.getEntityManager().createQuery(
                "select b.currency, sum(b.amountAtRiskMinor), count(b) from BreakCase b where b.state in :open "
                        + "group by b.currency", Object[].class)
                .setParameter("open", List.of(State.OPEN, State.INVESTIGATING)).getResultList();
        for (Object[] row : rows) {
            sums.put((String) row[0], new long[] {((Number) row[1]).longValue(), ((Number) row[2]).longValue()});
        }
        List<CurrencyAmount> out = new ArrayList<>();
        sums.forEach((c, v) -> out.add(new CurrencyAmount(c, v[0], v[1])));
        return out;
    }

    /** Distinct values seen for a filter's drop-down. */
    public List<String> distinct(String field) {
        if (!List.of("processor", "partner", "owner", "ruleName").contains(field)) {
            throw new IllegalArgumentException("no filter on " + field);
        }
        return BreakCase.getEntityManager().createQuery("select distinct b." + field + " from BreakCase b where b."
                + field + " is not null order by 1", String.class).getResultList();
    }
}
