package com.finledger.integrity.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.DemoWorldVerdicts;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Dev mode's way of running the demo world (every port local, one database) earns exactly the
 * committed verdicts: every partition's and window's state and every layer's control totals. The
 * same file is the expectation for any other way of running the world.
 */
@QuarkusTest
class DemoWorldVerdictsTest {

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DataSource dataSource;

    @Test
    void theDefaultWorldEarnsTheCommittedVerdicts() {
        DemoWorldFixture.invalidate(); // a fresh world, untouched by other tests' releases and overrides
        fixture.ensureDefaultWorld();

        String actual = DemoWorldVerdicts.snapshot(dataSource);

        assertEquals(DemoWorldVerdicts.expected(actual), actual);
    }
}
