package io.wmstream.topology.batching;

import io.wmstream.model.ConversationModel;
import io.wmstream.model.ModelFailureException;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches model calls across the tasks of one stream thread. Each task batches only its own partition's events,
 * and with traffic spread over partitions those batches are small while the model's cost per row falls with the
 * batch (BENCHMARKS.md). So the task that calls the model fills the call with the requests the thread's other tasks
 * will make next ({@link UpcomingRequests}), up to {@code maxRows}, and keeps their results, keyed by the exact
 * request, until those tasks ask. Every task still applies, forwards and commits only its own results in its own
 * processing; a result depends only on its request (the model's contract), so a prepared result is the one the
 * task would have computed itself, bit for bit, whatever the batch.
 *
 * <p>Not thread-safe, by design: every member runs on the coordinator's stream thread.
 */
public final class ThreadBatchCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadBatchCoordinator.class);

    private final ConversationModel model;
    private final int maxRows;
    private final Thread thread;
    private final Set<Member> members = new LinkedHashSet<>();
    private final Runnable onEmpty;

    ThreadBatchCoordinator(ConversationModel model, int maxRows, Thread thread, Runnable onEmpty) {
        this.model = model;
        this.maxRows = maxRows;
        this.thread = thread;
        this.onEmpty = onEmpty;
    }

    /** Adds a task; its upcoming requests may fill other members' calls from now on. */
    Member join(UpcomingRequests upcoming) {
        Member member = new Member(upcoming);
        members.add(member);
        return member;
    }

    /** One task of the thread: its model calls, and the results other members prepared for it. */
    public final class Member implements ModelCalls {
        private final UpcomingRequests upcoming;
        private final Map<RequestKey, TurnResult> prepared = new HashMap<>();
        private boolean joined = true;

        private Member(UpcomingRequests upcoming) {
            this.upcoming = upcoming;
        }

        /** The thread this member's task runs on; its calls must come from it. */
        public Thread thread() {
            return thread;
        }

        /** True when another member computed results this task has not used yet. */
        public boolean hasPrepared() {
            return !prepared.isEmpty();
        }

        @Override
        public List<TurnResult> advance(List<TurnRequest> requests) {
            TurnResult[] results = new TurnResult[requests.size()];
            List<TurnRequest> misses = new ArrayList<>(requests.size());
            int[] missAt = new int[requests.size()];
            for (int i = 0; i < requests.size(); i++) {
                TurnResult ready = prepared.isEmpty() ? null : prepared.remove(RequestKey.of(requests.get(i)));
                if (ready != null) {
                    results[i] = ready;
                } else {
                    missAt[misses.size()] = i;
                    misses.add(requests.get(i));
                }
            }
            // What is left was prepared for requests the task did not make (its events changed): never needed.
            prepared.clear();
            if (!misses.isEmpty()) {
                List<TurnResult> computed = computeFilled(this, misses);
                for (int m = 0; m < misses.size(); m++) {
                    results[missAt[m]] = computed.get(m);
                }
            }
            return Arrays.asList(results);
        }

        /** Leaves the coordinator (the task closed): it neither prepares nor is prepared for any more. */
        public void leave() {
            if (joined) {
                joined = false;
                prepared.clear();
                members.remove(this);
                if (members.isEmpty()) {
                    onEmpty.run();
                }
            }
        }
    }

    /**
     * A member's upcoming requests, or none when its stores cannot be read now (a task being closed or restored in a
     * rebalance): a guess that fails costs a fuller call, never the caller's batch.
     */
    private static List<TurnRequest> upcomingOf(Member member, int room) {
        try {
            return member.upcoming.next(room);
        } catch (RuntimeException e) {
            LOG.debug("Cannot read another task's upcoming requests ({}); its requests wait for its own call",
                    e.toString());
            return List.of();
        }
    }

    /** {@code own} in one model call together with the other members' upcoming requests, as far as room allows. */
    private List<TurnResult> computeFilled(Member caller, List<TurnRequest> own) {
        List<TurnRequest> call = new ArrayList<>(own);
        List<Member> owners = new ArrayList<>();
        for (Member other : members) {
            int room = maxRows - call.size();
            if (room <= 0) {
                break;
            }
            if (other == caller || other.hasPrepared()) {
                continue;
            }
            for (TurnRequest request : upcomingOf(other, room)) {
                call.add(request);
                owners.add(other);
            }
        }
        if (owners.isEmpty()) {
            return model.advance(own);
        }
        List<TurnResult> results;
        try {
            results = model.advance(call);
            if (results.size() != call.size()) {
                throw new ModelFailureException("model returned " + results.size() + " results for " + call.size()
                        + " requests");
            }
        } catch (ModelFailureException e) {
            // Another task's request may be what failed: the caller's own requests must not fail because of it.
            LOG.debug("A model call filled with {} other tasks' requests failed ({}); running the task's {} alone",
                    owners.size(), e.getMessage(), own.size());
            return model.advance(own);
        }
        for (int i = 0; i < owners.size(); i++) {
            TurnRequest request = call.get(own.size() + i);
            owners.get(i).prepared.put(RequestKey.of(request), results.get(own.size() + i));
        }
        return results.subList(0, own.size());
    }
}
