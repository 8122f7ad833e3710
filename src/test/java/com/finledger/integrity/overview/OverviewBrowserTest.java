package com.finledger.integrity.overview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.HeadlessChromium;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signs in as each demo user in headless Debian chromium and checks what a person sees on the
 * overview. Screenshots go to target/screenshots/. Locally without chromium the test is skipped; in
 * CI (CI set) a missing browser is a failure.
 */
@QuarkusTest
class OverviewBrowserTest {

    private static HeadlessChromium chromium;
    private static Browser browser;

    @TestHTTPResource("/")
    URL root;

    @Inject
    DemoWorldFixture fixture;

    @Inject
    com.finledger.integrity.demo.DemoScript script;

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

    @BeforeEach
    void world() {
        fixture.ensureDefaultWorld();
    }

    private Page signIn(BrowserContext context, String user) {
        return HeadlessChromium.signIn(context.newPage(), root, user);
    }

    @org.junit.jupiter.api.Test
    void anAuditorFollowsABlockedPartitionToItsQuarantinedRows() throws Exception {
        try (BrowserContext context = browser.newContext()) {
            Page page = signIn(context, "auditor");

            page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
                    new Page.GetByRoleOptions().setName("Readiness")).click();
            assertEquals("Readiness · FinLedger Integrity", page.title());
            var orphan = script.fault(com.finledger.integrity.demo.Defect.ORPHAN_REFUND).orElseThrow();
            page.locator("#readiness-board a[href='/readiness/ledger_refunds/" + orphan.businessDate() + "']").click();
            assertEquals("Blocked", page.getByTestId("partition-state").textContent());
            assertTrue(page.locator("ul.blocking").textContent().contains("refunds_payment_exists"));
            assertEquals(0, page.getByText("Evaluate now").count(), "an auditor is read-only");

            page.locator("#rules a", new Page.LocatorOptions().setHasText("1")).first().click();
            String row = page.locator("#quarantine tbody tr").first().textContent();
            assertTrue(row.contains("refunds_payment_exists") && row.contains("PAY-"), row);
            assertEquals(0, page.getByText("Release").count(), "an auditor cannot release rows");
            Path shot = Path.of("target", "screenshots", "quarantine-auditor.png");
            page.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(true));
        }
    }

    @org.junit.jupiter.api.Test
    void opsNarrowABlockedDateToTheWindowThatHoldsTheBreak() throws Exception {
        try (BrowserContext context = browser.newContext()) {
            Page page = signIn(context, "ops");
            var orphan = script.fault(com.finledger.integrity.demo.Defect.ORPHAN_REFUND).orElseThrow();
            page.navigate(root + "readiness");
            String cell = page.locator("#readiness-board a[href='/readiness/ledger_refunds/" + orphan.businessDate()
                    + "']").locator("xpath=..").textContent();
            assertTrue(cell.contains("windows ready"), cell);

            page.locator("#readiness-board a[href='/readiness/ledger_refunds/" + orphan.businessDate() + "']").click();
            int all = page.locator("#windows tbody tr:visible").count();
            page.locator("input[data-filter-table=windows]").fill("refunds_payment_exists");
            int blocked = page.locator("#windows tbody tr:visible").count();
            assertTrue(all > 40 && blocked == 1, all + " windows, " + blocked + " naming the orphan's rule");

            page.locator("#windows tbody tr:visible a").first().click();
            assertEquals("Blocked", page.getByTestId("partition-state").textContent());
            assertTrue(page.locator("ul.blocking").textContent().contains("1 rows of this window fail"));
            assertEquals(1, page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
                    new Page.GetByRoleOptions().setName("business date " + orphan.businessDate())).count());
            Path shot = Path.of("target", "screenshots", "readiness-window.png");
            page.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(true));
        }
    }

    @org.junit.jupiter.api.Test
    void opsFindTheResentFileRecognisedAsADuplicate() throws Exception {
        try (BrowserContext context = browser.newContext()) {
            Page page = signIn(context, "ops");

            page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
                    new Page.GetByRoleOptions().setName("Partner files")).click();
            page.locator("select[name=state]").selectOption("DUPLICATE");
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Filter")).click();
            page.locator("#partner-files tbody a").first().click();

            assertEquals("DUPLICATE", page.getByTestId("file-state").textContent());
            assertTrue(page.locator("#file-facts").textContent().contains("Duplicate of"));
            Path shot = Path.of("target", "screenshots", "partner-file-duplicate.png");
            page.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(true));
        }
    }

    @org.junit.jupiter.api.Test
    void opsBackfillAWindowGapFromTheSourcesPage() throws Exception {
        try (BrowserContext context = browser.newContext()) {
            Page page = signIn(context, "ops");
            page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
                    new Page.GetByRoleOptions().setName("Sources")).click();
            assertTrue(page.locator(".cdc-tables").first().textContent().contains("src_payments.payments"));
            assertTrue(page.locator("#dms-events").textContent().contains("sent again"), "the DMS restart is listed");
            Locator gap = page.locator(".window-issues li", new Page.LocatorOptions().setHasText("window gap"));
            assertEquals(1, gap.count());

            gap.locator("input[name=reason]").fill("extractor skipped the window; re-pulled");
            gap.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON).click();
            page.waitForURL(root + "sources");

            assertEquals(0, page.locator(".window-issues li", new Page.LocatorOptions().setHasText("window gap")).count());
            Path shot = Path.of("target", "screenshots", "sources-ops.png");
            page.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(true));
        } finally {
            DemoWorldFixture.invalidate();
        }
    }

    @ParameterizedTest(name = "{0} signs in and sees the overview")
    @ValueSource(strings = {"ops", "preparer", "approver", "auditor", "pipeline", "admin"})
    void eachDemoUserSeesTheOverview(String user) throws Exception {
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            page.navigate(root.toString());
            assertTrue(page.url().endsWith("/login"), "an anonymous visitor is sent to sign in, got " + page.url());

            page.getByLabel("User").fill(user);
            page.getByLabel("Password").fill("demo");
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Sign in")).click();
            page.waitForURL(root.toString());

            assertEquals("Overview · FinLedger Integrity", page.title());
            assertTrue(page.getByTestId("signed-in-user").textContent().startsWith(user));
            List<String> headers = page.locator("#overview-table thead th").allTextContents();
            assertEquals(List.of("Dataset", "Kind", "Business date", "Source", "Landing", "RAW", "Staging", "Curated"),
                    headers);
            String paymentsRow = page.locator("#overview-table tbody tr", new Page.LocatorOptions()
                    .setHasText("payments")).first().textContent();
            assertTrue(paymentsRow.contains("2026-11-02"), paymentsRow);

            page.getByPlaceholder("dataset, date…").fill("balances");
            List<String> visible = page.locator("#overview-table tbody tr:visible td:first-child").allTextContents();
            assertTrue(!visible.isEmpty() && visible.stream().allMatch("balances"::equals), visible.toString());

            Path shot = Path.of("target", "screenshots", "overview-" + user + ".png");
            Files.createDirectories(shot.getParent());
            page.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(true));
            assertTrue(Files.size(shot) > 10_000, "screenshot written");
        }
    }
}
