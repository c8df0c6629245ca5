package io.firehosesse.console;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.EncryptionFixtures.startWithCustomerKey;
import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.HeadlessChromium;
import io.firehosesse.support.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * The console in a real browser: Debian's headless Chromium, driven through its own chromedriver, against the
 * service on its random port. Streams are made and broken through the AWS SDK, as users do; the assertions are on
 * what the page shows.
 */
class ConsoleIT extends AwsClientsIT {

    /** The pages poll the service, and a headless Chromium on two busy cores is slow to draw them: a generous wait. */
    private static final Duration PAGE_WAIT = Waits.BACKGROUND;
    private static final Duration DAY = Duration.ofHours(24);

    private static HeadlessChromium chromium;
    private static ChromeDriver browser;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

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

    /** A script error on any page fails the test that opened it, even when what it asserted happened to show. */
    @AfterEach
    void noScriptErrors() {
        assertThat(chromium.errors()).isEmpty();
    }

    @Test
    void theStreamPageDrawsTheEncryptionTimelineAndTheCallWindowAndFollowsChanges() throws Exception {
        String name = uniqueName("console");
        KeyChange change = failedKeyChange(name);
        KeyMetadata good = change.inForce();
        KeyMetadata off = change.refused();

        browser.get(url("/console/streams/" + name));
        waitUntil(b -> periods("encryption").size() == 5);

        assertThat(statuses(periods("stream"))).containsExactly("CREATING", "ACTIVE");
        List<WebElement> encryption = periods("encryption");
        assertThat(statuses(encryption)).containsExactly("DISABLED", "ENABLING", "ENABLED", "ENABLING", "ENABLING_FAILED");
        assertThat(title(encryption.get(2))).contains("Key: CUSTOMER_MANAGED_CMK " + good.arn());
        // A failed key change: the old key is still in force, and the failure names the key that was refused.
        assertThat(title(encryption.get(4)))
                .contains("Key: CUSTOMER_MANAGED_CMK " + good.arn())
                .contains("Failure: DISABLED_KMS_KEY: " + off.arn() + " is disabled.")
                .contains("EncryptionFailed");
        assertThat(encryption.get(4).getDomAttribute("data-failure-type")).isEqualTo("DISABLED_KMS_KEY");
        assertThat(encryption.get(4).findElement(By.tagName("text")).getText()).isEqualTo("ENABLING_FAILED");
        assertThat(browser.findElement(By.id("encryption-status")).getText()).isEqualTo("ENABLING_FAILED");
        assertThat(slots("used")).hasSize(2);
        assertThat(slots("free")).hasSize(23);
        assertThat(freesAt(slots("used"))).isEqualTo(callTimes(name).stream().map(at -> at.plus(DAY)).toList());
        assertThat(slots("used").get(1).getText()).contains("Start");

        // Nothing is reloaded: the page follows a Stop made through the SDK by itself.
        firehose.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.DISABLED);
        waitUntil(b -> periods("encryption").size() == 7 && slots("used").size() == 3);

        assertThat(statuses(periods("encryption"))).containsExactly("DISABLED", "ENABLING", "ENABLED", "ENABLING",
                "ENABLING_FAILED", "DISABLING", "DISABLED");
        assertThat(title(periods("encryption").get(6))).contains("No key");
        assertThat(slots("free")).hasSize(22);
        assertThat(freesAt(slots("used"))).isEqualTo(callTimes(name).stream().map(at -> at.plus(DAY)).toList());
        assertThat(slots("used").get(2).getDomAttribute("data-operation")).isEqualTo("StopDeliveryStreamEncryption");
        assertThat(browser.findElement(By.id("window-summary")).getText()).startsWith("3 of 25 used · 22 left");
        assertThat(browser.findElements(By.cssSelector("#grants tbody tr[data-state]")))
                .extracting(row -> row.getDomAttribute("data-state")).containsExactly("RETIRED");

        // An event's time shows the state as of that event.
        waitUntil(b -> !b.findElements(By.cssSelector("#events tr[data-type=EncryptionDisabled]")).isEmpty());
        browser.findElement(By.cssSelector("#events tr[data-type=EncryptionFailed] button")).click();
        waitUntil(b -> !b.findElements(By.id("state-at-encryption")).isEmpty());
        assertThat(browser.findElement(By.id("state-at-encryption")).getText()).isEqualTo("ENABLING_FAILED");
        assertThat(browser.findElement(By.id("state-at-result")).getText())
                .contains("DISABLED_KMS_KEY: " + off.arn() + " is disabled.");

        saveScreenshot("console-stream.png");
    }

    @Test
    void stateAtShowsTheStreamAsItWasAndTheHistoryLinksEachEventToItsAuditRecord() throws Exception {
        String name = uniqueName("console-at");
        KeyChange change = failedKeyChange(name);
        KeyMetadata good = change.inForce();
        KeyMetadata off = change.refused();
        JsonNode events = get("/api/delivery-streams/" + name + "/events").path("events");
        Instant enabledAt = Instant.parse(event(events, "EncryptionEnabled").path("timestamp").asText());
        String failedRequest = event(events, "EncryptionFailed").path("metadata").path("requestId").asText();

        browser.get(url("/console/streams/" + name));
        waitUntil(b -> !periods("encryption").isEmpty());
        WebElement at = browser.findElement(By.id("state-at-input"));
        at.clear();
        at.sendKeys(enabledAt.toString());
        browser.findElement(By.cssSelector("#state-at button[type=submit]")).click();
        waitUntil(b -> !b.findElements(By.id("state-at-encryption")).isEmpty());

        assertThat(browser.findElement(By.id("state-at-encryption")).getText()).isEqualTo("ENABLED");
        assertThat(browser.findElement(By.id("state-at-key")).getText()).isEqualTo("CUSTOMER_MANAGED_CMK " + good.arn());
        assertThat(browser.findElement(By.id("encryption-status")).getText()).isEqualTo("ENABLING_FAILED");
        assertThat(browser.findElements(By.cssSelector("#timeline line.at-marker"))).hasSize(1);

        waitUntil(b -> !b.findElements(By.cssSelector("#events tr[data-type=EncryptionFailed]")).isEmpty());
        WebElement link = browser.findElement(By.cssSelector("#events tr[data-type=EncryptionFailed] a.request-id"));
        assertThat(link.getText()).isEqualTo(failedRequest);
        link.click();
        waitUntil(b -> !b.findElements(By.cssSelector("#records article")).isEmpty());

        WebElement record = browser.findElement(By.cssSelector("#records article"));
        assertThat(record.getDomAttribute("data-event-name")).isEqualTo("StartDeliveryStreamEncryption");
        assertThat(record.getText()).contains(off.arn());
    }

    @Test
    void theListShowsEveryStreamFiltersItAndPicksUpNewOnesByItself() throws Exception {
        String prefix = uniqueName("console-list");
        String encrypted = prefix + "-a";
        KeyMetadata key = activeStreamEncryptedWithNewKey(encrypted, "console: list");

        browser.get(url("/console?q=" + prefix));
        waitUntil(b -> rows().size() == 1);
        WebElement row = rows().get(0);
        assertThat(row.getDomAttribute("data-stream")).isEqualTo(encrypted);
        assertThat(row.getText()).contains("ACTIVE", "DirectPut", "ENABLED", "CUSTOMER_MANAGED_CMK", key.arn());

        String plain = prefix + "-b";
        createActive(firehose, plain);
        waitUntil(b -> rows().size() == 2);
        assertThat(rows()).extracting(r -> r.getDomAttribute("data-stream")).containsExactly(encrypted, plain);

        new Select(browser.findElement(By.id("filter-encryption"))).selectByVisibleText("DISABLED");
        waitUntil(b -> rows().size() == 1);
        assertThat(rows()).extracting(r -> r.getDomAttribute("data-stream")).containsExactly(plain);
        assertThat(browser.getCurrentUrl()).contains("encryption=DISABLED");
        saveScreenshot("console-streams.png");

        rows().get(0).findElement(By.tagName("a")).click();
        waitUntil(b -> b.findElement(By.id("stream-name")).getText().equals(plain));
    }

    @Test
    void pagesAreHtmlWithAPolicyThatAllowsOnlyThisOrigin() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url("/console"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(ConsolePages.SECURITY_POLICY);
        assertThat(page.body()).contains("/console/assets/streams.js").doesNotContain("http://", "https://");
    }

    record KeyChange(KeyMetadata inForce, KeyMetadata refused) {
    }

    /** A new stream ENABLED under one key, then a Start with a disabled key: ENABLING_FAILED, the first key still in force. */
    private KeyChange failedKeyChange(String name) {
        createActive(firehose, name);
        KeyMetadata inForce = newKey("console: in force");
        KeyMetadata refused = newKey("console: disabled");
        kms.disableKey(r -> r.keyId(refused.keyId()));
        startWithCustomerKey(firehose, name, inForce.arn());
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
        startWithCustomerKey(firehose, name, refused.arn());
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLING_FAILED);
        return new KeyChange(inForce, refused);
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private void waitUntil(Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, PAGE_WAIT).until(condition);
    }

    private static List<WebElement> periods(String lane) {
        return browser.findElements(By.cssSelector("#timeline g.lane-" + lane + " g.period"));
    }

    private static List<String> statuses(List<WebElement> periods) {
        return periods.stream().map(p -> p.getDomAttribute("data-status")).toList();
    }

    private static String title(WebElement period) {
        return period.findElement(By.tagName("title")).getDomProperty("textContent");
    }

    private static List<WebElement> slots(String state) {
        return browser.findElements(By.cssSelector("#window g.slot[data-state=" + state + "]"));
    }

    private static List<Instant> freesAt(List<WebElement> slots) {
        return slots.stream().map(slot -> Instant.parse(slot.getDomAttribute("data-frees-at"))).toList();
    }

    private static List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#streams tbody tr"));
    }

    private List<Instant> callTimes(String name) throws Exception {
        JsonNode calls = get("/api/delivery-streams/" + name + "/encryption-calls").path("calls");
        List<Instant> times = new ArrayList<>();
        // The page works in milliseconds, as JavaScript's Date does.
        calls.forEach(call -> times.add(Instant.parse(call.path("at").asText()).truncatedTo(ChronoUnit.MILLIS)));
        return times;
    }

    private static JsonNode event(JsonNode events, String type) {
        for (JsonNode event : events) {
            if (event.path("type").asText().equals(type)) {
                return event;
            }
        }
        throw new AssertionError("no " + type + " in " + events);
    }

    private JsonNode get(String path) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create(url(path))).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** The whole page, not just the window: the window is stretched to the page's height first. */
    private static void saveScreenshot(String fileName) throws IOException {
        // The window's own frame takes part of its height, so the page's height is topped up by the difference.
        long windowHeight = (Long) ((JavascriptExecutor) browser).executeScript(
                "return Math.ceil(document.documentElement.scrollHeight - window.innerHeight + window.outerHeight)");
        browser.manage().window().setSize(new Dimension(1360, (int) Math.min(windowHeight, 6000)));
        Path target = Path.of("target", fileName);
        Files.createDirectories(target.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        browser.manage().window().setSize(new Dimension(1360, 900));
    }
}
