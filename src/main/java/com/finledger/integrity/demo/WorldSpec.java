package com.finledger.integrity.demo;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/** Everything that determines a demo world; the same spec always yields the same rows. */
public record WorldSpec(long seed, LocalDate firstBusinessDate, int days, int scale, Set<Defect> defects,
                        Set<DemoCase> cases) {

    public static final int BASE_PAYMENTS_PER_DAY = 2_000;

    public WorldSpec {
        if (days < 1 || scale < 1) {
            throw new IllegalArgumentException("a demo world needs at least one day and scale 1");
        }
        defects = Set.copyOf(defects);
        cases = Set.copyOf(cases);
    }

    /** A world without the optional settlement cases. */
    public WorldSpec(long seed, LocalDate firstBusinessDate, int days, int scale, Set<Defect> defects) {
        this(seed, firstBusinessDate, days, scale, defects, Set.of());
    }

    public WorldSpec withCases(Set<DemoCase> more) {
        return new WorldSpec(seed, firstBusinessDate, days, scale, defects, more);
    }

    public static WorldSpec from(DemoConfig config) {
        return new WorldSpec(config.seed(), config.firstBusinessDate(), config.days(), config.scale(),
                Defect.parse(config.defects()), DemoCase.parse(config.cases().orElse(List.of())));
    }

    public int paymentsPerDay() {
        return BASE_PAYMENTS_PER_DAY * scale;
    }

    public List<LocalDate> businessDates() {
        return IntStream.range(0, days).mapToObj(firstBusinessDate::plusDays).toList();
    }

    public LocalDate lastBusinessDate() {
        return firstBusinessDate.plusDays(days - 1L);
    }

    public boolean has(DemoCase demoCase) {
        return cases.contains(demoCase);
    }

    public boolean has(Defect defect) {
        return defects.contains(defect);
    }
}
