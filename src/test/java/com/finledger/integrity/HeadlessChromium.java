package com.finledger.integrity;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.net.URL;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's chromium driven headless by Playwright for the browser tests, never a browser download
 * ({@code .ci/run} installs the package). Missing in CI is a failure; missing on a workstation skips.
 */
public final class HeadlessChromium implements AutoCloseable {

    public static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

    private final Playwright playwright;
    private final Browser browser;

    private HeadlessChromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static HeadlessChromium launch() {
        if (!Files.isExecutable(EXECUTABLE)) {
            if (System.getenv("CI") != null) {
                throw new IllegalStateException("CI must install chromium (apt-get install -y chromium)");
            }
            Assumptions.abort("no " + EXECUTABLE + " on this machine");
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(EXECUTABLE)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
        return new HeadlessChromium(playwright, browser);
    }

    public Browser browser() {
        return browser;
    }

    /** Signs {@code user} (password "demo") in through the login form and waits for the home page. */
    public static Page signIn(Page page, URL root, String user) {
        page.navigate(root + "login");
        page.getByLabel("User").fill(user);
        page.getByLabel("Password").fill("demo");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        page.waitForURL(root.toString());
        return page;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
