package io.tradeanomaly.common.kcl;

import java.util.List;

/**
 * This worker's view of its shard leases: whether it still owns a shard (what a processor checks before every write
 * made on the shard's behalf), a shard's parents, and a way to give a shard up so that it is replayed from its last
 * checkpoint.
 */
public interface LeaseView {

    /** True while this worker holds the shard's lease and is not shutting down. */
    boolean holds(String shardId);

    /**
     * True once the worker is shutting down gracefully: its processors are about to be asked to hand everything on
     * ({@code shutdownRequested}), so a batch that gave up because of it is not a lost lease.
     */
    default boolean stopping() {
        return false;
    }

    /**
     * Stops renewing the shard's lease without a checkpoint: the shard's processor ends (lease lost) and, once the
     * lease has expired, a fresh processor (on this worker or another) replays the shard from its last checkpoint.
     */
    default void release(String shardId) {}

    /** The shard's parent shards (after a reshard), empty for an original shard or when unknown. */
    default List<String> parents(String shardId) {
        return List.of();
    }

    /** A view that is set later, for processor factories created before their consumer. */
    final class Deferred implements LeaseView {
        private volatile LeaseView delegate;

        public void set(LeaseView view) {
            this.delegate = view;
        }

        @Override
        public boolean holds(String shardId) {
            LeaseView view = delegate;
            return view != null && view.holds(shardId);
        }

        @Override
        public boolean stopping() {
            LeaseView view = delegate;
            return view != null && view.stopping();
        }

        @Override
        public void release(String shardId) {
            LeaseView view = delegate;
            if (view != null) {
                view.release(shardId);
            }
        }

        @Override
        public List<String> parents(String shardId) {
            LeaseView view = delegate;
            return view == null ? List.of() : view.parents(shardId);
        }
    }
}
