package com.finledger.integrity.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.HeadlessChromium;
import com.finledger.integrity.demo.Defect;
import com.finledger.integrity.demo.DemoScript;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.RequestOptions;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 20 as people see it, in headless Debian chromium at 1,400 and 390 px: a status-first home, the
 * approvals inbox and its badge, refused forms answered beside the field, success messages, error pages
 * with a way back, money and times formatted, a usable narrow layout, audit filters, worst-first lists;
 * and axe-core (from its Maven artifact) on every page with no serious or critical violation. One
 * browser context for the class; users sign in and out within it.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PagesBrowserTest {

    private static final Pattern MONEY = Pattern.compile("[A-Z]{3} -?\\d{1,3}(,\\d{3})*(\\.\\d+)?");

    private static HeadlessChromium chromium;
    private static Browser browser;
    private static BrowserContext context;
    private static String axe;

    @TestHTTPResource("/")
    URL root;

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DemoScript script;

    @Inject
    com.finledger.integrity.audit.AuditLog auditLog;

    @BeforeAll
    static void launch() throws IOException {
        chromium = HeadlessChromium.launch();
        browser = chromium.browser();
        context = browser.newContext(new Browser.NewContextOptions().setTimezoneId("Europe/Berlin")
                .setViewportSize(1400, 900));
        try (InputStream in = PagesBrowserTest.class.getResourceAsStream("/axe.min.js")) {
            axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    static void close() {
        if (context != null) {
            context.close();
        }
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void world() {
        fixture.ensureDefaultWorld();
    }

    private Page signIn(String user, int width) {
        context.clearCookies();
        Page page = context.newPage();
        page.setViewportSize(width, 900);
        return HeadlessChromium.signIn(page, root, user);
    }

    private static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", name + ".png"))
                .setFullPage(true));
    }

    @Test
    @Order(1)
    void aPreparerAsksAnApproverDecidesFromTheInbox() {
        var orphan = script.fault(Defect.ORPHAN_REFUND).orElseThrow();
        String partition = "/readiness/" + orphan.dataset() + "/" + orphan.businessDate();
        try {
            Page page = signIn("preparer", 1400);
            // status first: what is blocked now, with the reason, linked to the partition
            Locator blocked = page.getByTestId("blocked-list");
            assertTrue(Integer.parseInt(page.getByTestId("blocked-count").textContent().trim()) > 0);
            List<String> items = blocked.locator("li").allTextContents();
            assertTrue(!items.isEmpty() && items.stream().allMatch(i -> i.matches("(?s)\\s*\\w+ \\d{4}-\\d\\d-\\d\\d: .+")),
                    "each blocked partition says why: " + items);
            // freshness against the catalog's objective, linked to the operations page
            assertTrue(page.getByTestId("slo-breached").textContent().trim().matches("\\d+"));
            assertTrue(page.getByTestId("slo-worst").textContent().contains("objective"),
                    page.getByTestId("slo-worst").textContent());
            assertEquals("/operations", page.getByTestId("slo-breached").getAttribute("href"));
            page.getByTestId("blocked-count").click();
            assertTrue(page.getByTestId("board-filter").textContent().contains("BLOCKED"));

            page.navigate(root + partition.substring(1));
            assertEquals("Why it is blocked", page.locator("#reasons").textContent().trim());
            Locator ask = page.locator("form[action$='/override']");
            ask.locator("input[name=reason]").fill("refund checked against the processor report");
            page.waitForNavigation(() -> ask.getByRole(AriaRole.BUTTON).click());
            assertTrue(page.getByTestId("flash").textContent().contains("“Request override” done"),
                    page.getByTestId("flash").textContent());

            // asking twice is refused: the page comes back with the problem beside the field, text kept
            Locator again = page.locator("form[action$='/override']");
            again.locator("input[name=reason]").fill("second try");
            page.waitForNavigation(() -> again.getByRole(AriaRole.BUTTON).click());
            assertTrue(page.url().endsWith(partition), page.url());
            assertTrue(page.getByTestId("flash").textContent().contains("already waiting"));
            Locator field = page.locator("form[action$='/override'] input[name=reason]");
            assertEquals("second try", field.inputValue());
            assertEquals("true", field.getAttribute("aria-invalid"));
            assertTrue(page.locator("form[action$='/override'] [data-testid=field-error]").textContent()
                    .contains("already waiting"));
            shot(page, "pages-refused-in-context");
            signOut(page);

            page = signIn("approver", 1400);
            Locator badge = page.getByTestId("nav-badge");
            assertTrue(Integer.parseInt(badge.textContent().replaceAll("\\D", "")) >= 1, badge.textContent());
            assertTrue(page.getByTestId("approvals-link").textContent().matches("[1-9]\\d* waiting for you"));
            page.getByTestId("approvals-link").click();
            Locator row = page.locator("#approvals tbody tr", new Page.LocatorOptions().setHasText(orphan.dataset()));
            assertTrue(row.textContent().contains("Partition override") && row.textContent().contains("preparer"),
                    row.textContent());
            assertTrue(row.locator("time").textContent().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d (CET|CEST|GMT\\+1)"),
                    "time in the viewer's zone with the zone named: " + row.locator("time").textContent());
            row.locator("a").click();
            Locator approve = page.locator("form[action*='/approve']");
            approve.locator("input[name=reason]").fill("statement matches");
            page.waitForNavigation(() -> approve.getByRole(AriaRole.BUTTON).click());
            assertTrue(page.getByTestId("flash").textContent().contains("“Approve exception” done"));
            assertEquals("Ready with exception", page.getByTestId("partition-state").textContent());
            assertTrue(page.locator("#reasons").textContent().contains("accepted by an override"));
            assertEquals(0, page.getByTestId("nav-badge").count(), "nothing waits any more");
            shot(page, "pages-approved");
            signOut(page);
        } finally {
            DemoWorldFixture.invalidate();
        }
    }

    @Test
    @Order(2)
    void errorsArePagesWithAWayBackWhileTheApiKeepsProblemJson() {
        Page page = signIn("ops", 1400);
        var missing = page.navigate(root + "readiness/no_such_dataset/2026-11-02");
        assertEquals(404, missing.status());
        assertTrue(page.getByTestId("error-page").textContent().contains("404"));
        assertTrue(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Home")).isVisible());

        var forbidden = page.navigate(root + "close");
        assertEquals(403, forbidden.status());
        assertTrue(page.getByTestId("error-page").textContent().contains("403"));
        assertTrue(page.getByTestId("error-detail").textContent().length() > 20, "the 403 says why");

        var nowhere = page.navigate(root + "no/such/page");
        assertEquals(404, nowhere.status());
        assertTrue(page.content().contains("Home"), "an unknown address still has a way back");

        long limit = ConfigProvider.getConfig().getOptionalValue("finledger.http.max-body-size",
                io.quarkus.runtime.configuration.MemorySize.class).map(m -> m.asLongValue()).orElse(10_240L * 1024);
        APIResponse big = page.request().post(root + "pipeline/run", RequestOptions.create()
                .setHeader("Accept", "text/html").setHeader("Content-Type", "application/x-www-form-urlencoded")
                .setData(new byte[(int) limit + 1]).setMaxRedirects(0));
        assertEquals(413, big.status());
        assertTrue(big.text().contains("Too large") && big.text().contains("Home"), big.text());

        APIResponse api = page.request().get(root + "api/v1/readiness/no_such_dataset/2026-11-02",
                RequestOptions.create().setHeader("Accept", "application/json").setHeader("Authorization",
                        "Basic " + java.util.Base64.getEncoder().encodeToString("ops:demo".getBytes(StandardCharsets.UTF_8))));
        assertEquals(404, api.status());
        assertTrue(api.headers().get("content-type").startsWith("application/json"), api.headers().toString());

        // a long action shows progress and cannot be sent twice
        page.navigate(root.toString());
        Locator run = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run pipeline now"));
        // the run may finish before a poll would see it: record what the page showed as it happened
        page.evaluate("() => new MutationObserver(() => {"
                + " const f = document.querySelector(\"form[action='/pipeline/run']\");"
                + " if (f && f.querySelector('progress')) sessionStorage.setItem('seen-progress', '1');"
                + " if (f && f.querySelector('button').disabled) sessionStorage.setItem('seen-disabled', '1');"
                + " }).observe(document.body, {subtree: true, childList: true, attributes: true})");
        page.waitForNavigation(new Page.WaitForNavigationOptions().setTimeout(180_000), () -> run.click());
        assertEquals("1", page.evaluate("() => sessionStorage.getItem('seen-progress')"), "progress was shown");
        assertEquals("1", page.evaluate("() => sessionStorage.getItem('seen-disabled')"),
                "the button was disabled while the run went on");
        assertTrue(page.getByTestId("flash").textContent().contains("done"));
        signOut(page);
    }

    @Test
    @Order(3)
    void atThreeNinetyPixelsTheMenuWorksAndTablesScrollInTheirBox() {
        Page page = signIn("ops", 390);
        assertNoSidewaysScroll(page);
        Locator nav = page.locator("#main-nav");
        assertFalse(nav.isVisible(), "the menu is folded");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Menu")).click();
        assertTrue(nav.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Readiness")).isVisible());
        String color = (String) nav.locator("a").first().evaluate("a => getComputedStyle(a).color");
        assertEquals("rgb(255, 255, 255)", color, "menu links stay readable on the dark header");
        Locator box = page.locator("#overview-table").locator("xpath=..");
        assertTrue(box.getAttribute("class").contains("table-scroll"));
        assertTrue((Boolean) box.evaluate("b => b.scrollWidth > b.clientWidth"), "the wide table scrolls inside its box");
        shot(page, "pages-home-390");

        var orphan = script.fault(Defect.ORPHAN_REFUND).orElseThrow();
        page.navigate(root + "readiness/" + orphan.dataset() + "/" + orphan.businessDate());
        assertNoSidewaysScroll(page);
        assertTrue(page.locator("#windows tbody tr").first().textContent().contains("Blocked"), "worst first");
        assertTrue(page.getByTestId("window-summary").textContent().matches("(?s)\\s*1 of 96 windows blocked.*"),
                page.getByTestId("window-summary").textContent());
        assertEquals(48, page.locator("#windows tbody tr").count(), "paginated");
        assertTrue(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Next windows →")).isVisible());
        page.waitForFunction("() => document.querySelector('#heat-strip canvas') !== null");
        shot(page, "pages-date-390");
        signOut(page);
    }

    @Test
    @Order(4)
    void moneyAndTimesAreFormattedAndLateFilesSaySo() {
        Page page = signIn("auditor", 1400);
        var late = script.fault(Defect.LATE_PARTNER_FILE).orElseThrow();
        page.navigate(root + "partner-files?date=" + late.businessDate());
        Locator lateBadge = page.locator("#partner-files [data-testid=late]").first();
        assertTrue(lateBadge.textContent().contains("after cut-off"), lateBadge.textContent());
        Locator row = page.locator("#partner-files tbody tr", new Page.LocatorOptions().setHas(
                page.locator("[data-testid=late]"))).first();
        assertTrue(row.locator("a[href^='/readiness/']").count() == 1, "linked to the partition it feeds");
        row.locator("a[href^='/partner-files/']").click();
        String amounts = page.getByTestId("file-amounts").textContent();
        assertTrue(MONEY.matcher(amounts).find(), amounts);
        assertTrue(page.getByTestId("feeds").isVisible());

        page.navigate(root + "readiness/" + late.dataset() + "/" + late.businessDate());
        String totals = page.locator("#totals").textContent();
        assertTrue(MONEY.matcher(totals).find(), totals);

        page.navigate(root + "sources");
        // the demo's DMS restart leaves events; a task with failure events is not a green "running"
        for (Locator health : page.getByTestId("task-health").all()) {
            String text = health.textContent();
            assertTrue(!text.contains("failure event") || health.getAttribute("class").contains("status-warn"), text);
        }
        signOut(page);
    }

    @Test
    @Order(5)
    void theAuditLogFiltersAndKeepsPeopleApartFromTheSystem() {
        // a backfill writes one entry per window: five in a row must show as one line that expands
        for (int i = 0; i < 5; i++) {
            auditLog.append("ops", "test.window_backfilled", "pull_window", "processor_alpha/2026-11-03T0" + i + ":00Z",
                    "re-pulled", Map.of());
        }
        Page page = signIn("auditor", 1400);
        page.navigate(root + "audit");
        assertNoSidewaysScroll(page);
        assertTrue(page.getByTestId("audit-bulk").count() >= 1, "runs of the same action are collapsed");
        Locator bulk = page.getByTestId("audit-bulk").first();
        assertTrue(bulk.textContent().contains("5 test.window_backfilled entries"), bulk.textContent());
        assertFalse(bulk.locator("details li").first().isVisible());
        bulk.locator("summary").click();
        assertTrue(bulk.locator("details li").first().isVisible(), "a collapsed run expands");

        page.locator("select[name=who]").selectOption("people");
        page.waitForNavigation(() -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter")).click());
        List<String> who = page.locator("#audit tbody tr td:nth-child(3)").allTextContents();
        assertTrue(!who.isEmpty() && who.stream().allMatch(w -> w.contains("person") && !w.contains(":")), who.toString());
        page.navigate(root + "audit?who=system");
        List<String> machines = page.locator("#audit tbody tr td:nth-child(3)").allTextContents();
        assertTrue(machines.stream().allMatch(w -> w.contains("system")), machines.toString());

        page.navigate(root + "audit?action=override.&actor=approver");
        List<String> actions = page.locator("#audit tbody tr td:nth-child(4)").allTextContents();
        assertTrue(!actions.isEmpty() && actions.stream().allMatch(a -> a.startsWith("override.")), actions.toString());

        page.navigate(root + "audit?from=not-a-date");
        assertTrue(page.getByTestId("error-detail").textContent().contains("from: not a date"));
        signOut(page);
    }

    @Test
    @Order(6)
    void everyPagePassesAxeWithoutSeriousViolations() {
        Page page = signIn("admin", 1400);
        var orphan = script.fault(Defect.ORPHAN_REFUND).orElseThrow();
        String date = "readiness/" + orphan.dataset() + "/" + orphan.businessDate();
        List<String> pages = new ArrayList<>(List.of("", "readiness", date, date + "/quarantine", "partner-files",
                "breaks", "close", "sources", "catalog", "lineage", "audit", "approvals", "operations", "recovery",
                "runbooks", "no/such/page"));
        page.navigate(root + "partner-files");
        pages.add(page.locator("#partner-files tbody a").first().getAttribute("href").substring(1));
        page.navigate(root + "breaks");
        if (page.locator("#breaks tbody a[href^='/breaks/']").count() > 0) {
            pages.add(page.locator("#breaks tbody a[href^='/breaks/']").first().getAttribute("href").substring(1));
        }
        List<String> problems = new ArrayList<>();
        for (int width : new int[] {1400, 390}) {
            page.setViewportSize(width, 900);
            for (String path : pages) {
                page.navigate(root + path);
                problems.addAll(axe(page, path + " @" + width));
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        page.navigate(root + "login");
        problems.addAll(axe(page, "login"));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @SuppressWarnings("unchecked")
    private static List<String> axe(Page page, String where) {
        page.evaluate(axe);
        Object result = page.evaluate("async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
                + " return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + ".map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')); }");
        return ((List<String>) result).stream().map(v -> where + ": " + v).toList();
    }

    private static void assertNoSidewaysScroll(Page page) {
        Map<String, Object> w = (Map<String, Object>) page.evaluate(
                "() => ({doc: document.documentElement.scrollWidth, view: window.innerWidth})");
        int doc = ((Number) w.get("doc")).intValue();
        int view = ((Number) w.get("view")).intValue();
        assertTrue(doc <= view + 1, "the page is " + doc + " px wide in a " + view + " px window: " + page.url());
    }

    private void signOut(Page page) {
        if (page.locator("form.logout").count() == 0) {
            page.navigate(root.toString());
        }
        page.waitForNavigation(() -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click());
        page.close();
    }
}
