package com.finledger.integrity.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.HeadlessChromium;
import com.finledger.integrity.operations.AwsEventIntake;
import com.finledger.integrity.operations.AwsEvents;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On-call in headless Debian chromium: a DMS task failed, its alert is firing on the alerts page with its
 * runbook link and "sent to on-call"; on-call silences it for 4 hours with a reason, the page then says in words
 * that it is silenced until when and by whom (the alert keeps firing), and an auditor finds the silence in the
 * audit log. Screenshots go to target/screenshots/.
 */
@QuarkusTest
class AlertsBrowserTest {

    private static HeadlessChromium chromium;
    private static Browser browser;

    @TestHTTPResource("/")
    URL root;

    @Inject
    AwsEventIntake events;

    @Inject
    AlertEngine engine;

    @Inject
    Notifiers notifiers;

    @Inject
    Clock clock;

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

    private static Alert alert(String subject) {
        return QuarkusTransaction.requiringNew().call(() -> Alert.<Alert>find("subject", subject).firstResult());
    }

    @Test
    void onCallSilencesAFiringAlertForFourHoursAndTheAuditLogShowsIt() throws Exception {
        notifiers.use(List.of());
        String id = "browser-" + UUID.randomUUID().toString().substring(0, 8);
        String task = "arn:aws:dms:eu-west-1:123456789012:task:" + id;
        events.apply(AwsEvents.dms(id + "-failed", clock.instant().minusSeconds(30), task, "REPLICATION_TASK_FAILED"));
        engine.evaluate();
        String reason = "DMS maintenance " + id;
        Files.createDirectories(Path.of("target", "screenshots"));

        Instant silencedAt;
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            HeadlessChromium.signIn(page, root, "ops");
            page.waitForNavigation(() -> page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Alerts")
                    .setExact(true)).click());
            Locator row = page.locator("#firing tbody tr", new Page.LocatorOptions().setHasText(task));
            assertEquals(1, row.count(), page.content());
            assertTrue(row.textContent().contains("dms-task-failing"), row.textContent());
            assertEquals("sent to on-call", row.getByTestId("alert-notifications").textContent().strip());
            assertEquals("/runbooks#dms-task-failing", row.getByRole(AriaRole.LINK,
                    new Locator.GetByRoleOptions().setName("runbook")).getAttribute("href"));
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "alerts-firing.png"))
                    .setFullPage(true));

            Locator form = page.locator("#new-silence");
            form.getByLabel("Rule").selectOption("dms-task-failing");
            form.getByLabel("Subject pattern").fill("*:task:" + id);
            form.getByLabel("Reason").fill(reason);
            form.getByLabel("For").selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("4 hours"));
            silencedAt = Instant.now();
            page.waitForNavigation(() -> form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions()
                    .setName("Silence")).click());
            assertTrue(page.url().endsWith("/alerts"), page.url());

            // still firing, and the page says in words that nobody is told until the silence ends
            Locator silenced = page.locator("#firing tbody tr", new Page.LocatorOptions().setHasText(task));
            String words = silenced.getByTestId("alert-notifications").textContent().strip();
            assertTrue(words.startsWith("silenced until ") && words.endsWith(" by ops"), words);
            Locator silence = page.locator("#silences tbody tr", new Page.LocatorOptions().setHasText(reason));
            assertEquals(1, silence.count(), page.content());
            assertTrue(silence.textContent().contains("active"), silence.textContent());
            Instant expires = Instant.parse(silence.locator("time").getAttribute("datetime"));
            assertEquals(expires, Instant.parse(silenced.getByTestId("alert-notifications").locator("time")
                    .getAttribute("datetime")));
            Duration ahead = Duration.between(silencedAt, expires);
            assertTrue(ahead.compareTo(Duration.ofHours(4).minusMinutes(1)) > 0
                    && ahead.compareTo(Duration.ofHours(4).plusMinutes(1)) < 0, ahead.toString());
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "alerts-silenced.png"))
                    .setFullPage(true));

            // its reminder falls due (PT30M) while silenced: it keeps firing, nothing is sent
            int sentBefore = alert(task).notifications;
            AlertEngine.Evaluation e = engine.evaluate(clock.instant().plus(Duration.ofMinutes(31)));
            assertTrue(e.silenced() >= 1, e.toString());
            assertEquals(Alert.State.FIRING, alert(task).state);
            assertEquals(sentBefore, alert(task).notifications, "silenced: the reminder is not sent");

            page.waitForNavigation(() -> silenced.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions()
                    .setName("runbook")).click());
            assertTrue(page.url().endsWith("/runbooks#dms-task-failing"), page.url());
            assertTrue(page.locator("#dms-task-failing").isVisible());
        }
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            HeadlessChromium.signIn(page, root, "auditor");
            page.navigate(root + "audit?action=alert.silence.create");
            Locator entry = page.locator("tr", new Page.LocatorOptions().setHasText(reason));
            assertEquals(1, entry.count(), page.content());
            assertTrue(entry.textContent().contains("ops") && entry.textContent().contains("alert_silence"),
                    entry.textContent());
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "alerts-audit.png"))
                    .setFullPage(true));
        }
    }
}
