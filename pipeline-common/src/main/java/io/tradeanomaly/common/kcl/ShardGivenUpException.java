package io.tradeanomaly.common.kcl;

/**
 * Thrown by a processor that stopped handing a batch on because the shard is no longer its own (lease lost, shutting
 * down): not a failure, but nothing after the last checkpoint may be checkpointed, and the next owner replays it.
 */
public class ShardGivenUpException extends RuntimeException {
    public ShardGivenUpException(String message) {
        super(message);
    }
}
