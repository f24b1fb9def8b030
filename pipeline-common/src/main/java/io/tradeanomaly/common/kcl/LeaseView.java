package io.tradeanomaly.common.kcl;

/** Whether this worker still owns a shard: what a processor retrying a hand-off checks before each attempt. */
@FunctionalInterface
public interface LeaseView {

    boolean holds(String shardId);

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
    }
}
