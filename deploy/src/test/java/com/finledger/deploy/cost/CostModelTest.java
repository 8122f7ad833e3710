package com.finledger.deploy.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CostModelTest {

    @Test
    void everyYearOfTheSevenStaysWithinThirtyFiveThousandDollarsAMonth() {
        for (int year = 1; year <= 7; year++) {
            BigDecimal total = CostModel.month(Assumptions.mission(), year).total();
            assertTrue(total.compareTo(CostModel.BUDGET) <= 0, "year " + year + " costs " + CostReport.money(total) + "/month");
        }
    }

    @Test
    void storageGrowthMakesYearSevenDearerThanYearOne() {
        assertTrue(CostModel.month(Assumptions.mission(), 7).total().compareTo(CostModel.month(Assumptions.mission(), 1).total()) > 0);
    }

    @Test
    void withoutDeepArchiveTieringTheBudgetBreaks() {
        assertTrue(CostReport.worstMonth(Assumptions.mission().withArchiveTiering(false)).total().compareTo(CostModel.BUDGET) > 0);
    }

    @Test
    void everyPriceIsDatedAndCited() {
        for (Price p : Prices.all()) {
            assertEquals("2026-11", p.asOf(), p.name());
            assertTrue(p.source().startsWith("https://"), p.name());
            assertTrue(p.usd().signum() > 0, p.name());
        }
    }

    @Test
    void committedCostMdIsTheModelsOutput() throws Exception {
        Path file = Path.of(System.getProperty("deploy.dir", "."), "COST.md");
        String generated = CostReport.markdown();
        if (Boolean.getBoolean("cost.write")) {
            Files.writeString(file, generated);
        }
        assertTrue(Files.exists(file), "deploy/COST.md is missing: run ./mvnw -f deploy/pom.xml test -Dcost.write=true");
        assertEquals(generated, Files.readString(file),
                "deploy/COST.md is stale: run ./mvnw -f deploy/pom.xml test -Dcost.write=true and commit it");
    }
}
