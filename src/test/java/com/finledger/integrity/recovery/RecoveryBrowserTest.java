package com.finledger.integrity.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.HeadlessChromium;
import com.finledger.integrity.demo.Defect;
import com.finledger.integrity.demo.DemoWorld;
import com.finledger.integrity.demo.WorldSpec;
import com.finledger.integrity.pipeline.LocalPipelineRunner;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On-call in headless Debian chromium: the operations page shows a blocked dataset (Processor Alpha's second
 * day was never pulled, an injected failure), the recovery console lists the blocked partition with its
 * recoveries, the dry run of re-pulling the day's window shows the blocked partition it will touch, and once
 * confirmed the job's progress bar runs to SUCCEEDED and the partition is READY. An auditor is refused the
 * console. Screenshots go to target/screenshots/.
 */
@QuarkusTest
class RecoveryBrowserTest {

    private static HeadlessChromium chromium;
    private static Browser browser;

    @TestHTTPResource("/")
    URL root;

    @Inject
    DemoWorld world;

    @Inject
    DemoWorldFixture fixture;

    @Inject
    LocalPipelineRunner pipeline;

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

    private void signIn(Page page, String user) {
        HeadlessChromium.signIn(page, root, user);
    }

    @Test
    void onCallSeesTheBlockedPartitionPreviewsItsRecoveryRunsItAndWatchesItReturnToReady() throws Exception {
        WorldSpec base = fixture.defaultSpec();
        DemoWorldFixture.invalidate();
        world.generate(new WorldSpec(base.seed(), base.firstBusinessDate(), 2, 1, Set.of(Defect.API_WINDOW_GAP)), "test");
        pipeline.run("test");
        LocalDate day2 = base.firstBusinessDate().plusDays(1);
        Files.createDirectories(Path.of("target", "screenshots"));

        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            signIn(page, "ops");
            page.waitForNavigation(() -> page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Operations")
                    .setExact(true)).click());
            Locator alpha = page.locator("#status-grid tr[data-dataset=alpha_transactions]");
            assertTrue(alpha.textContent().contains("blocked"), alpha.textContent());
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "operations.png")).setFullPage(true));

            page.waitForNavigation(() -> page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Recovery")
                    .setExact(true)).click());
            Locator item = page.locator("#actionable-items tr[data-kind=Partition][data-name='alpha_transactions " + day2 + "']");
            assertEquals(1, item.count(), page.content());
            assertTrue(item.textContent().contains("BLOCKED"));
            page.waitForNavigation(() -> item.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions()
                    .setName("Re-pull the day's window")).click());

            assertTrue(page.title().startsWith("Preview: Re-pull a processor API window"), page.title());
            assertTrue(page.locator("#plan-steps").textContent().contains("pull processor_alpha"), page.locator("#plan-steps").textContent());
            Locator touched = page.locator("#plan-touches tr", new Page.LocatorOptions().setHasText("alpha_transactions " + day2));
            assertTrue(touched.textContent().contains("BLOCKED"), touched.textContent());
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "recovery-preview.png")).setFullPage(true));
            page.getByLabel("Reason").fill("alpha window never pulled (incident 17)");
            page.waitForNavigation(() -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run it")).click());

            assertTrue(page.url().contains("/recovery/jobs/"), page.url());
            page.waitForCondition(() -> page.getByTestId("job-state").textContent().equals("SUCCEEDED")
                    || page.getByTestId("job-state").textContent().equals("FAILED"), new Page.WaitForConditionOptions().setTimeout(180_000));
            assertEquals("SUCCEEDED", page.getByTestId("job-state").textContent(), page.content());
            assertEquals("100", page.locator("#job-progress").getAttribute("value"));
            Locator partition = page.locator("#job-partitions tr", new Page.LocatorOptions().setHasText("alpha_transactions " + day2));
            assertTrue(partition.textContent().contains("READY"), partition.textContent());
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "recovery-job.png")).setFullPage(true));
            page.waitForNavigation(() -> partition.getByRole(AriaRole.LINK).click());
            assertEquals("Ready", page.getByTestId("partition-state").textContent().strip(), page.content());

            page.navigate(root + "runbooks#blocked-partition");
            assertTrue(page.locator("#blocked-partition").textContent().contains("Re-pull the window"));
        }
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            signIn(page, "auditor");
            assertEquals(0, page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Recovery").setExact(true)).count());
            assertEquals(403, page.request().get(root + "recovery").status(), "the server refuses the console to an auditor");
        }
    }
}
