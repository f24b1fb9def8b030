package io.tradeanomaly.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The live anomaly page in real headless Chromium against the detector on the local stack: rows arrive without a
 * reload, the threshold set through the page changes what appears, a bad value shows the server's error. The
 * screenshot is kept as {@code target/live-page.png}.
 */
@ExtendWith(LocalAwsExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LivePageIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final LocalAwsNamespace NAMES = LocalAwsExtension.newNamespace("LivePageIT");
    private static ScheduledExecutorService feeder;
    private static WebDriver browser;

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.micrometer.core.instrument.MeterRegistry registry;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        DetectorITSupport.properties(registry, LocalAwsExtension.sharedStack(), NAMES, NAMES.anomaliesStream());
        registry.add(
                "detector.producer-url",
                () -> "http://127.0.0.1:9"); // no producer here: its control must show the error
    }

    @BeforeAll
    static void startFeedAndBrowser() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Debian chromium and chromium-driver are needed (.ci/run installs them)");
        AtomicLong seed = new AtomicLong();
        feeder = Executors.newSingleThreadScheduledExecutor();
        feeder.scheduleAtFixedRate(
                () -> {
                    List<Trade> trades = TestTrades.generate(
                            new String[] {"PGA", "PGB", "PGC"},
                            new double[] {25, 250, 2500},
                            150,
                            0.05,
                            seed.incrementAndGet());
                    DetectorITSupport.put(LocalAwsExtension.sharedStack(), NAMES.tradesStream(), trades);
                },
                0,
                500,
                TimeUnit.MILLISECONDS);
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--window-size=1400,900",
                        "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        browser = new ChromeDriver(
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .build(),
                options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (feeder != null) {
            feeder.shutdownNow();
        }
    }

    @Test
    void thePageShowsLiveAnomaliesAndItsControlsWork() throws Exception {
        browser.get("http://127.0.0.1:" + port + "/");
        await().atMost(Duration.ofSeconds(10)).until(() -> js("return window.livePageLoadedAt") != null);
        Object loadedAt = js("return window.livePageLoadedAt");

        // the table fills (after KCL's start-up and the models' warm-up) and keeps changing without a reload
        await().atMost(Duration.ofSeconds(150)).until(() -> rowIds().size() > 0);
        Set<String> first = rowIds();
        await().atMost(Duration.ofSeconds(30)).until(() -> !first.containsAll(rowIds()));
        assertThat(js("return window.livePageLoadedAt")).isEqualTo(loadedAt);
        assertThat(browser.findElement(By.id("fig-rate")).getText()).isNotEqualTo("–");

        // a threshold set through the page mutes new anomalies...
        browser.findElement(By.id("password")).sendKeys("it-secret");
        setAndApply("threshold", "100000");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(message()).contains("Threshold set to 100000"));
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        browser.findElement(By.id("fig-threshold")).getText().startsWith("100000"));
        // batches scored before the change may still be published: let a few batches pass under the new threshold
        double scoredAtChange = scored();
        await().atMost(Duration.ofSeconds(60)).until(() -> scored() >= scoredAtChange + 900);
        Set<String> muted = rowIds();
        await().during(Duration.ofSeconds(6))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(muted).containsAll(rowIds()));

        // ...and lowering it brings them back
        setAndApply("threshold", "1");
        await().atMost(Duration.ofSeconds(30)).until(() -> !muted.containsAll(rowIds()));

        // a bad value shows the server's validation error
        setAndApply("threshold", "-1");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(message()).contains("400").contains("must be > 0"));
        setAndApply("outlier-rate", "0.2");
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(message()).contains("502").contains("not reachable"));

        setAndApply("threshold", "1");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(message()).contains("Threshold set to 1"));
        Path screenshot =
                ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(screenshot, Path.of("target", "live-page.png"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(Path.of("target", "live-page.png"))).isGreaterThan(10_000);
    }

    private double scored() {
        return registry.get("trades.scored").counter().count();
    }

    private void setAndApply(String inputId, String value) {
        WebElement input = browser.findElement(By.id(inputId));
        input.clear();
        input.sendKeys(value);
        input.submit();
    }

    private String message() {
        return browser.findElement(By.id("message")).getText();
    }

    /** The ids in the table, read in one script call (the page replaces its rows every refresh). */
    @SuppressWarnings("unchecked")
    private Set<String> rowIds() {
        List<String> ids =
                (List<String>) js("return Array.from(document.querySelectorAll('#rows tr')).map(r => r.dataset.id)");
        return Set.copyOf(ids);
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }
}
