package io.tradeanomaly.common.trade;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * One stock trade on the trades stream (docs/contracts.md, "Records"): the demo's input, and the default configuration of the detector's input.
 *
 * @param id unique across producer restarts and replicas
 * @param tickerSymbol the stock, also the Kinesis partition key
 * @param tradeType BUY or SELL
 * @param price price per share, finite and &gt; 0
 * @param quantity shares traded, &gt; 0
 * @param tradeTime when the trade was generated (UTC, millisecond precision)
 * @param injected the simulator's label: true for an inflated outlier; optional (null when unknown) and never used
 *     for scoring
 */
@JsonPropertyOrder({"id", "tickerSymbol", "tradeType", "price", "quantity", "tradeTime", "injected"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Trade(
        long id,
        String tickerSymbol,
        TradeType tradeType,
        double price,
        long quantity,
        Instant tradeTime,
        Boolean injected) {

    /** True only when the simulator labelled this trade as an injected outlier. */
    public boolean isInjected() {
        return Boolean.TRUE.equals(injected);
    }
}
