package com.finledger.integrity.crash;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.demo.DemoWorld;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.pipeline.ChangeFileIntake;
import com.finledger.integrity.pipeline.DmsFilesOnly;
import com.finledger.integrity.pipeline.LocalDms;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The whole application (HTTP API, security, schedulers, start-up resumption) hosted in a child JVM for the
 * crash-safety tests: {@link AppChild} runs this class on the JUnit Platform, Quarkus starts the application in
 * test mode (demo users, basic auth) against the harness's PostgreSQL, the host generates the demo world if
 * asked, has DMS write its change files if asked, sweeps DMS change files if asked (the intake's inventory sweep, which has no HTTP trigger), says it is up through a file, and then holds the process open until the test kills it. Its name does not
 * match surefire's patterns and it only runs with {@code crash.app.host=true}, so {@code ./mvnw verify} never
 * runs it itself.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "crash.app.host", matches = "true")
class CrashAppHost {

    @Inject
    DemoWorld world;

    @Inject
    DemoWorldFixture fixture;

    @Inject
    ChangeFileIntake changeFiles;

    @Inject
    LocalDms dms;

    @Inject
    CatalogService catalogService;

    @Inject
    DataSource dataSource;

    @Test
    void serveUntilKilled() throws Exception {
        if (Boolean.getBoolean("crash.app.generate")) {
            world.generate(fixture.defaultSpec(), "test");
        }
        if (Boolean.getBoolean("crash.app.dms-files")) {
            // DMS writes its change files into the bucket by itself; the application has recorded none yet
            DmsFilesOnly.write(dms, catalogService.catalog(), dataSource);
        }
        if (Boolean.getBoolean("crash.app.sweep-change-files")) {
            // what the inventory sweep does when an S3 event was lost (a schedule with no local trigger)
            changeFiles.sweep("system:sweep");
        }
        Path ready = Path.of(System.getProperty("crash.app.ready"));
        Path partial = ready.resolveSibling(ready.getFileName() + ".partial");
        Files.writeString(partial, "up\n");
        Files.move(partial, ready, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Thread.sleep(Long.MAX_VALUE);
    }
}
