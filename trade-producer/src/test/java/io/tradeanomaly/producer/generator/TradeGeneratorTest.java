package io.tradeanomaly.producer.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeCodec;
import io.tradeanomaly.producer.system.ProducerProperties;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TradeGeneratorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T08:00:00.123Z"), ZoneOffset.UTC);

    private static TradeGenerator generator(long seed) {
        return new TradeGenerator(ProducerProperties.defaultTickers(), seed, CLOCK, new TradeIds(CLOCK, 3));
    }

    private static List<Trade> generate(long seed, int ticks, GeneratorSettings settings) {
        TradeGenerator generator = generator(seed);
        List<Trade> trades = new ArrayList<>();
        for (int i = 0; i < ticks; i++) {
            trades.addAll(generator.tick(100, settings));
        }
        return trades;
    }

    @Test
    void everyTickHasExactlyTheRequestedNumberOfTrades() {
        TradeGenerator generator = generator(1);
        assertThat(generator.tick(100, GeneratorSettings.defaults())).hasSize(100);
        assertThat(generator.tick(1, GeneratorSettings.defaults())).hasSize(1);
        assertThat(generator.tick(10000, GeneratorSettings.defaults())).hasSize(10000);
    }

    @Test
    void outlierShareMatchesTheRateWithinStatisticalBounds() {
        for (double rate : new double[] {0.01, 0.05, 0.2}) {
            GeneratorSettings settings = new GeneratorSettings(rate, new FactorRange(2, 5), new FactorRange(10, 50));
            List<Trade> trades = generate(42, 1000, settings);
            long injected = trades.stream().filter(Trade::isInjected).count();
            double n = trades.size();
            double sigma = Math.sqrt(n * rate * (1 - rate));
            // 4 sigma: a correct generator fails this less than once in 15,000 runs; a wrong rate fails it.
            assertThat((double) injected)
                    .as("outliers at rate %s", rate)
                    .isBetween(n * rate - 4 * sigma, n * rate + 4 * sigma);
        }
    }

    @Test
    void noOutliersAtRateZeroAndOnlyOutliersAtRateOne() {
        assertThat(generate(7, 50, new GeneratorSettings(0, new FactorRange(2, 5), new FactorRange(10, 50))))
                .noneMatch(Trade::isInjected);
        assertThat(generate(7, 50, new GeneratorSettings(1, new FactorRange(2, 5), new FactorRange(10, 50))))
                .allMatch(Trade::isInjected);
    }

    @Test
    void outliersAreInflatedWithinTheFactorRanges() {
        GeneratorSettings settings = new GeneratorSettings(0.05, new FactorRange(3, 4), new FactorRange(20, 30));
        List<Trade> trades = generate(11, 1000, settings);
        Map<String, Deque<Double>> recentNormalPrices = new HashMap<>();
        int checked = 0;
        for (Trade trade : trades) {
            Deque<Double> recent = recentNormalPrices.computeIfAbsent(trade.tickerSymbol(), t -> new ArrayDeque<>());
            if (!trade.isInjected()) {
                assertThat(trade.quantity()).isBetween(1L, 1000L);
                recent.addLast(trade.price());
                if (recent.size() > 20) {
                    recent.removeFirst();
                }
            } else if (recent.size() == 20) {
                double typical = recent.stream().sorted().toList().get(10);
                assertThat(trade.price() / typical).isBetween(3 * 0.97, 4 * 1.03);
                assertThat(trade.quantity()).isBetween(20L, 30L * 1000);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void idsAreUniqueAndExactInJavaScript() {
        List<Trade> trades = generate(5, 1000, GeneratorSettings.defaults());
        Set<Long> ids = new HashSet<>();
        trades.forEach(t -> ids.add(t.id()));
        assertThat(ids).hasSize(trades.size());
        assertThat(ids).allSatisfy(id -> assertThat(id).isPositive().isLessThan(1L << 53));
    }

    @Test
    void theSameSeedGivesTheSameTrades() {
        assertThat(generate(99, 20, GeneratorSettings.defaults()))
                .isEqualTo(generate(99, 20, GeneratorSettings.defaults()));
        assertThat(generate(99, 20, GeneratorSettings.defaults()))
                .isNotEqualTo(generate(100, 20, GeneratorSettings.defaults()));
    }

    @Test
    void tradesAreValidRecordsOfTheContract() {
        TradeCodec codec = new TradeCodec();
        for (Trade trade : generate(3, 10, GeneratorSettings.defaults())) {
            assertThat(codec.decodeTrade(codec.encode(trade))).isEqualTo(trade);
            assertThat(trade.price()).isPositive();
            assertThat(trade.tradeTime()).isEqualTo(Instant.parse("2026-11-26T08:00:00.123Z"));
            assertThat(ProducerProperties.defaultTickers()).containsKey(trade.tickerSymbol());
        }
    }
}
