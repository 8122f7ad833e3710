package com.finledger.integrity.prodlike;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.DemoWorldVerdicts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo world run through the prodlike profile, every port on its own peer (see
 * {@link ProdlikePeers}), earns exactly the verdicts dev mode's single database earns: the same
 * state for every partition and window, the same control totals and fingerprints in every layer.
 */
@QuarkusTest
@TestProfile(ProdlikeVerdictsTest.Prodlike.class)
class ProdlikeVerdictsTest {

    public static class Prodlike implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProdlikePeers.class));
        }
    }

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DataSource controlPlane;

    @BeforeAll
    @AfterAll
    static void freshWorld() {
        DemoWorldFixture.invalidate(); // another profile's application had other databases
    }

    @Test
    void everyPartitionEarnsTheSameVerdictAsInDevMode() {
        fixture.ensureDefaultWorld();

        String actual = DemoWorldVerdicts.snapshot(controlPlane);

        assertEquals(DemoWorldVerdicts.expected(null), actual);
    }
}
