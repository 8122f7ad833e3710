package com.finledger.integrity.close;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.demo.Defect;
import com.finledger.integrity.demo.DemoWorld;
import com.finledger.integrity.demo.WorldSpec;
import com.finledger.integrity.pipeline.LocalPipelineRunner;
import com.microsoft.playwright.APIResponse;
import com.finledger.integrity.HeadlessChromium;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The finance journey in headless Debian chromium: a preparer opens the close dashboard, finds the month
 * blocked by the injected defect (linked to where it is fixed), signs it off once two people approved the
 * exception, sees no approve button on their own sign-off and is refused when forging the form; an
 * approver approves it, downloads the sealed evidence pack and reruns the month to REPRODUCED with the
 * progress bar. Screenshots go to target/screenshots/.
 */
@QuarkusTest
class CloseBrowserTest {

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
    void aPreparerSignsOffAndADifferentApproverApprovesTheMonth() throws Exception {
        WorldSpec base = fixture.defaultSpec();
        DemoWorldFixture.invalidate();
        world.generate(new WorldSpec(base.seed(), base.firstBusinessDate(), 1, 1, Set.of(Defect.MISSING_SETTLEMENT)), "test");
        pipeline.run("test");
        String period = YearMonth.from(base.firstBusinessDate()).toString();
        Files.createDirectories(Path.of("target", "screenshots"));

        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true))) {
            Page page = context.newPage();
            signIn(page, "preparer");
            page.waitForNavigation(() -> page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Close").setExact(true)).click());
            assertEquals("Month-end close · FinLedger Integrity", page.title(), page.url() + "\n" + page.content());
            assertEquals("Not started", page.getByTestId("close-state-" + period).textContent());
            page.waitForNavigation(() -> page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(period)).click());

            assertTrue(page.getByTestId("sign-off-blocked").isVisible());
            assertEquals(0, page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign off")).count());
            Locator blocked = page.locator("#checklist tr[data-blocking=true]");
            assertTrue(blocked.count() > 0);
            assertTrue(blocked.first().textContent().contains("ledger_settlements"), blocked.first().textContent());
            List<String> fixes = new ArrayList<>();
            for (Locator link : blocked.locator("a").all()) {
                fixes.add(link.getAttribute("href"));
            }
            assertTrue(fixes.stream().allMatch(h -> h.startsWith("/readiness/")), fixes.toString());
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "close-blocked.png"))
                    .setFullPage(true));

            // the exception: asked by the preparer, approved by the approver (the two-person override)
            for (String href : fixes) {
                String partition = href.substring("/readiness/".length());
                int id = given().auth().preemptive().basic("preparer", "demo").contentType("application/json")
                        .body("{\"reason\": \"settlement confirmed by the processor\"}")
                        .post("/api/v1/readiness/" + partition + "/overrides").then().statusCode(201).extract().path("id");
                given().auth().preemptive().basic("approver", "demo").contentType("application/json")
                        .body("{\"reason\": \"checked the statement\"}").post("/api/v1/overrides/" + id + "/approve")
                        .then().statusCode(200);
            }

            page.reload();
            assertEquals(0, page.locator("#checklist tr[data-blocking=true]").count());
            page.getByLabel("Note").fill("November; exception: the missing settlement");
            page.waitForNavigation(() -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign off")).click());
            assertEquals("Signed off, awaiting approval", page.getByTestId("close-state").textContent());
            assertTrue(page.getByTestId("own-sign-off").isVisible());
            assertEquals(0, page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Approve").setExact(true)).count(),
                    "no approve button on one's own sign-off");
            // forging the approve form is refused on the server
            String csrfName = page.locator("form.logout input[type=hidden]").getAttribute("name");
            String csrfToken = page.locator("form.logout input[type=hidden]").getAttribute("value");
            APIResponse forged = page.request().post(root + "close/" + period + "/approve", RequestOptions.create()
                    .setForm(FormData.create().set(csrfName, csrfToken).set("text", "me")).setMaxRedirects(0));
            assertEquals(403, forged.status(), forged.text());
            page.reload();
            assertEquals("Signed off, awaiting approval", page.getByTestId("close-state").textContent());
            page.waitForNavigation(() -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click());

            signIn(page, "approver");
            page.waitForNavigation(() -> page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Close").setExact(true)).click());
            assertEquals("Signed off, awaiting approval", page.getByTestId("close-state-" + period).textContent());
            page.waitForNavigation(() -> page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(period)).click());
            assertEquals(0, page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign off")).count(),
                    "an approver does not sign off");
            page.locator("form[action$='/approve'] input[name=text]").fill("agreed with the bank statement");
            page.waitForNavigation(() -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Approve").setExact(true)).click());
            assertEquals("Closed (approved)", page.getByTestId("close-state").textContent());
            assertTrue(page.getByTestId("signed-off").textContent().startsWith("preparer at "));
            assertTrue(page.getByTestId("approved").textContent().startsWith("approver at "));

            Download download = page.waitForDownload(() -> page.getByTestId("evidence-download").click());
            byte[] archive = Files.readAllBytes(download.path());
            EvidencePack.Verification v = EvidencePack.verify(archive);
            assertTrue(v.valid(), v.problems().toString());
            assertEquals(page.getByTestId("evidence-seal").textContent(), v.seal());

            page.waitForNavigation(() -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Rerun the month")).click());
            assertTrue(page.locator("#rerun-progress").isVisible());
            page.waitForSelector("[data-testid=rerun-state]:text('REPRODUCED')",
                    new Page.WaitForSelectorOptions().setTimeout(240_000));
            assertEquals("100", page.locator("#rerun-progress").getAttribute("value"));
            assertTrue(page.locator("#rerun-comparison tbody tr").count() > 0);
            assertEquals(page.locator("#rerun-comparison tbody tr").count(),
                    page.locator("#rerun-comparison tbody tr:has-text('reproduced')").count());
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "close-approved.png"))
                    .setFullPage(true));

            page.waitForNavigation(() -> page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("← Month-end close")).click());
            assertEquals("Closed (approved)", page.getByTestId("close-state-" + period).textContent());
            assertTrue(page.locator("#close-months tr[data-period='" + period + "']").textContent().contains("preparer"));
        }
    }
}
