package io.firehosesse.console;

import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.support.Clients;
import io.firehosesse.support.HeadlessChromium;
import io.firehosesse.support.SignedCallersIT;
import io.firehosesse.support.Waits;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/**
 * The console of a service with a credentials file: it shows nothing until a key is given, then signs its calls in the
 * browser (WebCrypto SigV4) and shows that key's account, and only that.
 */
class SignedConsoleIT extends SignedCallersIT {

    private static HeadlessChromium chromium;
    private static ChromeDriver browser;

    @BeforeAll
    static void startBrowser() throws IOException {
        chromium = HeadlessChromium.startOrSkip();
        browser = chromium.driver();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    /**
     * No script errors. The browser reports the refused calls (403) and the other account's stream (404) as failed
     * loads: those this test provokes.
     */
    @AfterEach
    void noScriptErrors() {
        assertThat(chromium.errors()).allMatch(error -> error.contains("status of 403") || error.contains("status of 404"));
    }

    @Test
    void theConsoleAsksForAKeySignsItsCallsAndShowsOnlyThatAccount() {
        String prefix = uniqueName("signed-console");
        String alices = prefix + "-alice";
        String bobs = prefix + "-bob";
        try (FirehoseClient alice = Clients.firehose(port, Region.US_EAST_1, alice());
             FirehoseClient bob = Clients.firehose(port, Region.US_EAST_1, Clients.credentials(BOB, BOB_SECRET))) {
            createActive(alice, alices);
            createActive(bob, bobs);
        }

        // Unsigned, the list is refused and the page asks for a key instead of showing anything.
        browser.get(url("/console?q=" + prefix));
        waitUntil(b -> !b.findElements(By.id("sign-in")).isEmpty());
        assertThat(rows()).isEmpty();
        assertThat(browser.findElement(By.id("problem")).getText()).contains("Missing Authentication Token");

        // A wrong secret is refused by the service, and the form says so.
        signIn(ALICE, "not-alice-secret");
        waitUntil(b -> !b.findElements(By.id("sign-in-refused")).isEmpty());
        assertThat(browser.findElement(By.id("sign-in-refused")).getText()).contains("InvalidSignatureException");
        assertThat(rows()).isEmpty();

        signIn(ALICE, ALICE_SECRET);
        waitUntil(b -> rows().size() == 1);
        assertThat(rows().get(0).getDomAttribute("data-stream")).isEqualTo(alices);
        assertThat(browser.findElements(By.id("sign-in"))).isEmpty();
        assertThat(browser.findElement(By.id("sign-out")).getText()).contains(ALICE);
        // The key is kept in this tab's session only: no cookie, nothing in localStorage.
        JavascriptExecutor script = browser;
        assertThat(script.executeScript("return document.cookie")).isEqualTo("");
        assertThat(script.executeScript("return localStorage.length")).isEqualTo(0L);

        // The stream's page makes several signed calls (the view, its timeline, calls, grants and history).
        rows().get(0).findElement(By.tagName("a")).click();
        waitUntil(b -> b.findElement(By.id("stream-name")).getText().equals(alices));
        waitUntil(b -> !b.findElements(By.cssSelector("#events tr[data-type$=DeliveryStreamActivated]")).isEmpty());

        // Bob's stream, by name in Alice's account, is not there for her.
        browser.get(url("/console/streams/" + bobs));
        waitUntil(b -> b.findElement(By.id("problem")).getText().contains("not found"));

        browser.findElement(By.id("sign-out")).click();
        browser.get(url("/console?q=" + prefix));
        waitUntil(b -> !b.findElements(By.id("sign-in")).isEmpty());
        assertThat(rows()).isEmpty();
    }

    private void signIn(String accessKeyId, String secret) {
        WebElement form = browser.findElement(By.id("sign-in"));
        WebElement key = form.findElement(By.name("accessKeyId"));
        key.clear();
        key.sendKeys(accessKeyId);
        form.findElement(By.name("secretAccessKey")).sendKeys(secret);
        form.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private static void waitUntil(Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, Waits.BACKGROUND).until(condition);
    }

    private static List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#streams tbody tr"));
    }
}
