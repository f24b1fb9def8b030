package io.tradeanomaly.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.ServiceProcess;
import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
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
 * The live anomaly page in real headless Chromium, against the detector on the local stack with the real producer
 * and archiver (their jars, on free ports) around it: rows arrive without a reload; the score chart has points, the
 * threshold line and readable size; the health panel shows the producer's, the detector's and the archiver's own
 * figures; the per-ticker list filters the table; the threshold and the producer's outlier rate set through the page
 * take effect, bad values show the server's error; a service that stops shows as "not reachable". The screenshot is
 * kept as {@code target/live-page.png}.
 */
@ExtendWith(LocalAwsExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LivePageIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> TICKERS = List.of("PGA", "PGB", "PGC", "PGD");
    private static final LocalAwsNamespace NAMES = LocalAwsExtension.newNamespace("LivePageIT");
    private static final ServiceProcess PRODUCER = service(
            "trade-producer",
            List.of(
                    "--producer.stream=" + NAMES.tradesStream(),
                    "--producer.settings-bucket=" + NAMES.bucket(),
                    "--producer.records-per-tick=150",
                    "--producer.tick-interval-ms=500",
                    "--producer.tickers[PGA]=25",
                    "--producer.tickers[PGB]=250",
                    "--producer.tickers[PGC]=2500",
                    "--producer.tickers[PGD]=80"));
    private static final ServiceProcess ARCHIVER = service(
            "s3-archiver",
            List.of(
                    "--archiver.stream=" + NAMES.anomaliesStream(),
                    "--archiver.application-name=" + NAMES.archiverApplication(),
                    "--archiver.bucket=" + NAMES.bucket(),
                    "--archiver.grace=2s"));
    private static WebDriver browser;

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.micrometer.core.instrument.MeterRegistry registry;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        DetectorITSupport.properties(registry, LocalAwsExtension.sharedStack(), NAMES, NAMES.anomaliesStream());
        registry.add("detector.producer-url", () -> "http://127.0.0.1:" + PRODUCER.port());
        registry.add("detector.archiver-url", () -> "http://127.0.0.1:" + ARCHIVER.port());
    }

    @BeforeAll
    static void startServicesAndBrowser() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Debian chromium and chromium-driver are needed (.ci/run installs them)");
        PRODUCER.start();
        ARCHIVER.start();
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
        PRODUCER.kill();
        ARCHIVER.kill();
    }

    @Test
    void thePageShowsLiveAnomaliesChartsHealthAndTickersAndItsControlsWork() throws Exception {
        browser.get("http://127.0.0.1:" + port + "/");
        await().atMost(Duration.ofSeconds(10)).until(() -> js("return window.livePageLoadedAt") != null);
        Object loadedAt = js("return window.livePageLoadedAt");

        // the table fills (after the services' and KCL's start-up and the models' warm-up) and changes without a reload
        await().atMost(Duration.ofSeconds(240)).until(() -> rowIds().size() > 0);
        Set<String> first = rowIds();
        await().atMost(Duration.ofSeconds(30)).until(() -> !first.containsAll(rowIds()));
        assertThat(js("return window.livePageLoadedAt")).isEqualTo(loadedAt);
        // each row says what drove it in words, with the value (and what was expected, when the detector reports it)
        assertThat(texts("#rows td.why .driver.main"))
                .isNotEmpty()
                .allMatch(t -> t.matches(
                        "[↑↓] (price|quantity) [0-9,.]+, (expected ~[0-9,.]+|(high|low) \\(\\d+% of the score\\))"));

        // the score chart: anomalies as points, the threshold line, the ordinary scores; big enough to read
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(seriesValues("score-chart", "Anomaly")).isNotEmpty();
            assertThat(seriesValues("score-chart", "Threshold")).isNotEmpty().allMatch(v -> v == 1.0);
            assertThat(seriesValues("score-chart", "Ordinary, highest")).isNotEmpty();
        });
        assertThat(((Number) js("return document.querySelector('#score-chart canvas').clientWidth")).intValue())
                .isGreaterThan(600);
        assertThat(((Number) js("return document.querySelector('#score-chart canvas').clientHeight")).intValue())
                .isGreaterThan(200);
        assertThat(text("#scores-card .u-legend")).contains("Threshold").contains("Anomaly");

        // the health panel: trades produced (the producer's own counter), scored, archived (the archiver's)
        await().atMost(Duration.ofSeconds(150)).untilAsserted(() -> {
            assertThat(number("#fig-produced")).isBetween(50.0, 450.0); // it puts up to 300/s
            assertThat(number("#fig-rate")).isPositive();
            assertThat(number("#fig-archived")).isPositive();
            assertThat(text("#fig-objects")).matches("in [0-9,]+ objects");
            assertThat(seriesValues("chart-trades", "Produced")).anyMatch(v -> v > 100);
            assertThat(seriesValues("chart-trades", "Scored")).anyMatch(v -> v > 100);
            assertThat(seriesValues("chart-anomalies", "Archived")).anyMatch(v -> v > 0);
            assertThat(seriesValues("chart-lag", "Archiver")).isNotEmpty();
            assertThat(browser.findElements(By.cssSelector("#services .service.up")))
                    .hasSize(2);
        });

        // anomalies per ticker: the producer's tickers; a click shows only that ticker's rows, "show all" the rest
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(texts("#tickers .ticker")).containsAnyElementsOf(TICKERS));
        assertThat(texts("#tickers .count")).allMatch(c -> c.matches("[0-9,]+"));
        String ticker = texts("#tickers .ticker").get(0);
        browser.findElement(By.cssSelector("#tickers button[data-ticker='" + ticker + "']"))
                .click();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(rowTickers()).isNotEmpty().containsOnly(ticker);
            assertThat(text("#filter-ticker")).isEqualTo(ticker);
            assertThat(browser.findElement(By.cssSelector("#tickers button[data-ticker='" + ticker + "']"))
                            .getDomAttribute("aria-pressed"))
                    .isEqualTo("true");
        });
        browser.findElement(By.id("filter-clear")).click();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Set.copyOf(rowTickers())).hasSizeGreaterThan(1));

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

        // ...and lowering it brings them back (the producer and the archiver share the machine's cores: allow a lag)
        setAndApply("threshold", "1");
        await().atMost(Duration.ofSeconds(90)).until(() -> !muted.containsAll(rowIds()));

        // a bad value shows the server's validation error; the producer's outlier rate goes through the detector
        setAndApply("threshold", "-1");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(message()).contains("400").contains("must be > 0"));
        setAndApply("outlier-rate", "0.08");
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(message()).contains("Outlier rate set to 0.08"));
        assertThat(PRODUCER.get("/api/producer/settings").orElseThrow()).contains("\"outlierRate\":0.08");
        setAndApply("threshold", "1");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(message()).contains("Threshold set to 1"));

        // the whole page, once the threshold line has been back at 1 for a while
        await().atMost(Duration.ofSeconds(30))
                .until(() -> seriesValues("score-chart", "Threshold").stream()
                        .skip(Math.max(
                                0, seriesValues("score-chart", "Threshold").size() - 3))
                        .allMatch(v -> v == 1.0));
        browser.manage().window().setSize(new Dimension(1400, 2000));
        js("document.activeElement.blur(); window.scrollTo(0, 0)");
        Path screenshot =
                ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(screenshot, Path.of("target", "live-page.png"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(Path.of("target", "live-page.png"))).isGreaterThan(50_000);

        // services that stop show as "not reachable", and the page goes on
        ARCHIVER.kill();
        PRODUCER.kill();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(text("#fig-archived")).isEqualTo("not reachable");
            assertThat(text("#fig-produced")).isEqualTo("not reachable");
            assertThat(texts("#services .service.down"))
                    .containsExactly(
                            "trade-producer not reachable at http://127.0.0.1:" + PRODUCER.port() + "/",
                            "s3-archiver not reachable at http://127.0.0.1:" + ARCHIVER.port() + "/");
        });
        assertThat(js("return window.livePageLoadedAt")).isEqualTo(loadedAt);
        assertThat(message()).doesNotContain("Cannot reach");
        setAndApply("outlier-rate", "0.2");
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(message()).contains("502").contains("not reachable"));
    }

    private static ServiceProcess service(String module, List<String> args) {
        List<String> arguments = new ArrayList<>();
        LocalAwsExtension.sharedStack().springProperties().forEach((k, v) -> arguments.add("--" + k + "=" + v));
        arguments.addAll(List.of(
                "--pipeline.kcl.failover-time=3s",
                "--pipeline.kcl.lease-assignment-interval=1s",
                "--pipeline.kcl.dispatch-poll-interval=200ms",
                "--pipeline.kcl.shutdown-timeout=10s"));
        arguments.addAll(args);
        return new ServiceProcess(
                module,
                ROOT.resolve(module).resolve("target").resolve(module + ".jar"),
                freePort(),
                arguments,
                Map.of("PIPELINE_ADMIN_PASSWORD", "it-secret"),
                Path.of("target", "live-page-services").toAbsolutePath());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private double number(String css) {
        String text = text(css).replace(",", "");
        return text.matches("[0-9.]+") ? Double.parseDouble(text) : -1;
    }

    /** Texts of the matching elements, read in one script call (the page replaces its content every refresh). */
    @SuppressWarnings("unchecked")
    private List<String> texts(String css) {
        return (List<String>)
                js("return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent)", css);
    }

    /** The non-null values of a chart's series, found by its legend label, as the chart holds them. */
    @SuppressWarnings("unchecked")
    private List<Double> seriesValues(String chart, String label) {
        List<Number> values = (List<Number>) js(
                "const u = window.livePage.charts[arguments[0]]; if (!u) return [];"
                        + " const i = u.series.findIndex(s => s.label === arguments[1]); if (i < 0) return [];"
                        + " return (u.data[i] || []).filter(v => v != null);",
                chart,
                label);
        return values.stream().map(Number::doubleValue).toList();
    }

    /** The ids in the table, read in one script call. */
    @SuppressWarnings("unchecked")
    private Set<String> rowIds() {
        List<String> ids =
                (List<String>) js("return Array.from(document.querySelectorAll('#rows tr')).map(r => r.dataset.id)");
        return Set.copyOf(ids);
    }

    @SuppressWarnings("unchecked")
    private List<String> rowTickers() {
        return (List<String>) js("return Array.from(document.querySelectorAll('#rows tr')).map(r => r.dataset.ticker)");
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }
}
