package io.tradeanomaly.common.trade;

/** The side of a trade, as in the Kinesis Data Analytics tutorial's {@code tradeType VARCHAR(4)}. */
public enum TradeType {
    BUY,
    SELL
}
