package com.finledger.integrity.lineage;

import static com.finledger.integrity.lineage.LineageFixtures.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.finledger.integrity.HeadlessChromium;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An auditor opens a curated partition's lineage in headless chromium, follows it to the raw
 * object versions, expands the graph and exports the trace. The events are posted through the API
 * first, as our pipeline would. Screenshots go to target/screenshots/.
 */
@QuarkusTest
class LineageBrowserTest {

    private static HeadlessChromium chromium;
    private static Browser browser;

    @TestHTTPResource("/")
    URL root;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void launch() {
        chromium = HeadlessChromium.launch();
        browser = chromium.browser();
    }

    @AfterAll
    static void close() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void anAuditorFollowsACuratedPartitionToTheRawObjectVersionsAndExportsTheTrace() throws Exception {
        LineageFixtures.World w = LineageFixtures.contractWorld(batch -> post(batch).statusCode(201));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into partition_readiness (dataset, partition_key, state, version, updated_at)
                values (?, ?, 'BLOCKED', 1, now())""")) {
            ps.setString(1, w.bankPartition());
            ps.setString(2, w.day());
            ps.executeUpdate();
        }
        List<String> consoleErrors = new ArrayList<>();
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true)
                .setViewportSize(1400, 1000))) {
            Page page = context.newPage();
            page.onConsoleMessage(m -> {
                if ("error".equals(m.type()) && !m.text().startsWith("Failed to load resource")) {
                    consoleErrors.add(m.text());
                }
            });
            // every script, style and data request of the pages answers (the browser's own favicon probe aside)
            page.onResponse(r -> {
                if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) {
                    consoleErrors.add(r.status() + " " + r.url());
                }
            });
            HeadlessChromium.signIn(page, root, "auditor");

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Lineage")).click();
            assertEquals("Lineage · FinLedger Integrity", page.title());
            page.getByLabel("Search partitions, datasets and jobs").fill(w.curatedPartition() + " " + w.day());
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search")).click();
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(w.curatedPartition() + " " + w.day())
                    .setExact(true)).click();

            assertEquals("Lineage of " + w.curatedPartition() + " " + w.day() + " · FinLedger Integrity", page.title());
            page.waitForSelector("#lineage-graph[data-ready]");
            int drawn = Integer.parseInt(page.locator("#lineage-graph").getAttribute("data-ready"));
            assertTrue(drawn >= 12, "the graph draws the trace's runs and versions: " + drawn);
            String objects = page.locator("#landing-objects tbody").textContent();
            assertTrue(objects.contains(w.bankKey()) && objects.contains("Wb9x.v1-bank") && objects.contains("b".repeat(64)),
                    objects);
            assertTrue(!objects.contains("Wb9x.v2-resent"), "the next day's resend is not in this day's trace");
            String runs = page.locator("#trace-runs tbody").textContent();
            assertTrue(runs.contains("Blocked upstream: " + w.bankPartition() + " " + w.day() + ": Blocked"),
                    "quality in words: " + runs);
            assertTrue(page.locator("#source-extracts tbody").textContent().contains("ledger.public.settlements"));

            // a node of the graph: its details in words, then its neighbours
            page.evaluate("id => window.lineageGraph.getElementById(id).emit('tap')", "run:" + w.curatedRun());
            assertTrue(page.locator("#graph-selection").textContent().contains("upstream blocked"),
                    page.locator("#graph-selection").textContent());
            page.getByTestId("node-expand").click();
            page.waitForSelector("#lineage-graph[data-expanded]");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Zoom in")).click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Fit")).click();
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots",
                    "lineage-partition-auditor.png")).setFullPage(true));

            // export the trace as the auditor would keep it
            Download download = page.waitForDownload(() -> page.getByTestId("export-trace").click());
            JsonNode trace = LineageFixtures.JSON.readTree(Files.readString(download.path()));
            assertTrue(download.suggestedFilename().endsWith(".json"), download.suggestedFilename());
            List<String> versions = new ArrayList<>();
            trace.path("landingObjects").forEach(v -> versions.add(v.at("/object/versionId").asText()));
            assertEquals(List.of("3sL4kqtJlcpXroDTDmJ_dms1", "Wb9x.v1-bank"), versions);

            // follow the bank file to its object version, then to the run that landed it
            page.locator("#landing-objects a", new Page.LocatorOptions().setHasText(w.bankKey())).click();
            assertEquals("Wb9x.v1-bank", page.getByTestId("object-version-id").textContent());
            assertEquals("b".repeat(64), page.getByTestId("object-sha256").textContent());
            page.locator("a", new Page.LocatorOptions().setHasText("run " + w.intakeRun())).click();
            assertEquals("COMPLETED", page.getByTestId("run-state").textContent());
            assertTrue(page.locator("#run-events tbody tr").count() == 2, "START and COMPLETE received");
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots",
                    "lineage-run-auditor.png")).setFullPage(true));

            page.navigate(root + "lineage/runs?namespace=" + LineageFixtures.JOBS + "&job=intake.northbank");
            assertTrue(page.locator("#timeline tbody").textContent().contains("Completed"));
            assertEquals(List.of(), consoleErrors, "no script errors on the lineage pages");
        }
    }
}
