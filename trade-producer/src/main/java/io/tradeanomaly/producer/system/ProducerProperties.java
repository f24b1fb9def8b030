package io.tradeanomaly.producer.system;

import io.tradeanomaly.common.trade.PipelineNames;
import io.tradeanomaly.producer.generator.FactorRange;
import io.tradeanomaly.producer.settings.ProducerSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The producer's configuration ({@code producer.*}). The tick settings are the starting values of the runtime
 * settings, which REST can change later.
 *
 * @param stream the trades stream
 * @param recordsPerTick trades per tick, 1..10000
 * @param tickIntervalMs milliseconds between ticks, at least 10
 * @param outlierRate share of inflated outliers, in [0, 1]
 * @param priceFactor multiplier range for outliers' prices; default 2..5
 * @param quantityFactor multiplier range for outliers' quantities; default 10..50
 * @param running whether to emit ticks from start-up
 * @param tickers ticker symbol to base price; default: 12 US stocks from about $12 to $3,800
 * @param seed seed of the trade generator, for reproducible runs; unset = random
 * @param instanceId 0..127, distinguishes replicas in trade ids; unset = random (set it when running several)
 * @param expectedConsumers consumers of the stream, for the start-up shard estimate
 * @param putMaxAttempts PutRecords attempts per record before it is counted as failed
 * @param putBaseBackoff backoff before the first retry (doubles, with jitter)
 * @param putMaxBackoff cap of one backoff
 * @param settingsBucket bucket of the runtime settings shared by the replicas (default: the archive bucket)
 * @param settingsKey key of that object; empty keeps the runtime settings in this JVM only
 * @param settingsRefresh how often each replica reads the shared settings (a change made through another replica
 *     applies here within this)
 */
@ConfigurationProperties("producer")
@Validated
public record ProducerProperties(
        @DefaultValue(PipelineNames.TRADES_STREAM) @NotBlank String stream,
        @DefaultValue("100") @Min(1) @Max(10000) int recordsPerTick,
        @DefaultValue("1000") @Min(10) long tickIntervalMs,

        @DefaultValue("0.05") @DecimalMin("0") @DecimalMax("1")
        double outlierRate,

        @Valid FactorRange priceFactor,
        @Valid FactorRange quantityFactor,
        @DefaultValue("true") boolean running,
        Map<String, Double> tickers,
        Long seed,
        @Min(0) @Max(127) Integer instanceId,
        @DefaultValue("1") @Min(1) int expectedConsumers,
        @DefaultValue("8") @Min(1) int putMaxAttempts,
        @DefaultValue("100ms") Duration putBaseBackoff,
        @DefaultValue("5s") Duration putMaxBackoff,

        @DefaultValue(PipelineNames.ARCHIVE_BUCKET) @NotBlank
        String settingsBucket,

        @DefaultValue("runtime-settings/trade-producer.json")
        String settingsKey,

        @DefaultValue("5s") Duration settingsRefresh) {

    /** The AWS lab's kind of universe: well-known tickers with prices from a few dollars to a few thousand. */
    public static Map<String, Double> defaultTickers() {
        Map<String, Double> tickers = new LinkedHashMap<>();
        tickers.put("AAPL", 190.0);
        tickers.put("AMZN", 180.0);
        tickers.put("MSFT", 420.0);
        tickers.put("GOOG", 170.0);
        tickers.put("META", 500.0);
        tickers.put("TSLA", 250.0);
        tickers.put("NFLX", 650.0);
        tickers.put("INTC", 30.0);
        tickers.put("F", 12.0);
        tickers.put("KO", 60.0);
        tickers.put("AZO", 3000.0);
        tickers.put("BKNG", 3800.0);
        return tickers;
    }

    public Map<String, Double> tickerUniverse() {
        return tickers == null || tickers.isEmpty() ? defaultTickers() : tickers;
    }

    public ProducerSettings initialSettings() {
        return new ProducerSettings(
                recordsPerTick,
                tickIntervalMs,
                outlierRate,
                priceFactor != null ? priceFactor : new FactorRange(2, 5),
                quantityFactor != null ? quantityFactor : new FactorRange(10, 50),
                running);
    }
}
