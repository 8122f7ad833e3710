package com.finledger.integrity.breaks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.demo.Defect;
import com.finledger.integrity.demo.DemoScript;
import com.finledger.integrity.matching.MatchRunService;
import com.finledger.integrity.HeadlessChromium;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An ops user works a break in headless Debian chromium: filters the queue to the amount mismatch,
 * assigns it in bulk, opens it (every side's rows, card numbers masked), investigates and resolves it.
 * Screenshots go to target/screenshots/.
 */
@QuarkusTest
class BreaksBrowserTest {

    private static HeadlessChromium chromium;
    private static Browser browser;

    @TestHTTPResource("/")
    URL root;

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DemoScript script;

    @Inject
    MatchRunService runs;

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
    void anOpsUserFiltersAssignsAndResolvesABreak() throws Exception {
        fixture.ensureDefaultWorld();
        var mismatch = script.fault(Defect.AMOUNT_MISMATCH).orElseThrow();
        runs.runBusinessDate(mismatch.businessDate(), "test");
        String paymentId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(mismatch.detailJson())
                .get("payment_id").asText();

        try (BrowserContext context = browser.newContext()) {
            Page page = HeadlessChromium.signIn(context.newPage(), root, "ops");

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Breaks")).click();
            assertEquals("Breaks · FinLedger Integrity", page.title());
            page.waitForSelector("#ageing-chart canvas");
            page.waitForSelector("#at-risk-chart canvas");
            for (String amount : page.locator("#at-risk tbody td[data-minor]").allTextContents()) {
                assertTrue(amount.matches("[A-Z]{3} -?\\d{1,3}(,\\d{3})*\\.\\d{2}"), "money with separators: " + amount);
            }

            page.locator("#break-filters select[name=reason]").selectOption("AMOUNT_MISMATCH");
            page.locator("#break-filters select[name=processor]").selectOption("alpha");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter")).click();
            assertEquals("1", page.getByTestId("break-total").textContent());
            String row = page.locator("#breaks tbody tr").first().textContent();
            assertTrue(row.contains(paymentId) && row.contains("amount mismatch") && row.contains("1.00"), row);

            page.locator("#breaks tbody input[type=checkbox]").first().check();
            page.getByPlaceholder("owner").fill("ops");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Assign")).click();
            assertTrue(page.url().contains("reason=AMOUNT_MISMATCH"), "back on the filtered queue: " + page.url());
            assertTrue(page.locator("#breaks tbody tr").first().textContent().contains("ops"));

            page.locator("#breaks tbody tr a").first().click();
            assertEquals("OPEN", page.getByTestId("break-state").textContent());
            assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree(mismatch.detailJson())
                    .get("currency").asText() + " 1.00", page.getByTestId("amount-at-risk").textContent());
            String staging = page.locator("table[data-layer=left-staging]").textContent();
            assertTrue(staging.contains(paymentId), staging);
            String rows = page.locator("main").textContent();
            assertTrue(rows.contains("•••• •••• ••••") && !rows.matches("(?s).*\\b\\d{16}\\b.*"), "card numbers masked");

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start investigating")).click();
            assertEquals("INVESTIGATING", page.getByTestId("break-state").textContent());
            page.getByLabel("Resolution").fill("Alpha corrected the capture; refund of 1.00 issued");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Resolve")).click();
            assertEquals("RESOLVED", page.getByTestId("break-state").textContent());
            assertEquals(List.of("found", "assigned", "investigating", "resolved"),
                    page.locator("#history tbody tr td:nth-child(3)").allTextContents());
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "break-resolved.png"))
                    .setFullPage(true));

            page.navigate(root + "breaks");
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "break-queue.png"))
                    .setFullPage(true));
        }
    }
}
