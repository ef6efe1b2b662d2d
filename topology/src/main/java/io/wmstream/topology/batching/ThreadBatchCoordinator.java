package io.wmstream.topology.batching;

import io.wmstream.model.ConversationModel;
import io.wmstream.model.TurnRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the model calls of the tasks of one stream thread on model threads of its own ({@link ModelLane}s,
 * {@code wm.model.threads}), each computing one call at a time, while the stream thread goes on taking in records
 * and applying the results of the calls before.
 *
 * <p>Each call holds the upcoming requests ({@link UpcomingRequests}) of every task of the thread, up to
 * {@code maxRows}: each task alone would batch only its own partition's events, and the model's cost per row falls
 * with the batch (docs/benchmarks.md). A call starts when the model thread is idle and {@code maxRows} events wait,
 * at a task's punctuation ({@code wm.batch.max.wait.ms}), or as soon as a call finished (the load is high: the model
 * stays busy); a full call is queued behind the one computing. With several model threads an idle one takes the next
 * call while the others compute: calls run at once, each whole, with conversations of their own, instead of one
 * call dealt into parts that wait for the slowest. Results are kept, keyed by the exact request, until their task
 * runs the events they belong to.
 *
 * <p>A conversation's next pending turn does not wait for its task to run the turn before (chaining): it is asked
 * for from that turn's kept result once its call finished, or, while that call is in flight, it goes into the call
 * queued behind it on the same model thread, which starts from the state that thread's previous call left for the
 * conversation ({@link UpcomingRequests.Chain#continues()}); a call of another model thread leaves it out. Either way
 * its request is the one the task will build from its memory, or a wasted row, never another result.
 *
 * <p>The model thread only computes: every store read, state change, forward and commit stays on the stream
 * thread, in each task's own processing and in each conversation's order. Events whose call is in flight are still
 * in their task's changelogged pending store, so a commit or a crash meanwhile loses nothing. A result depends only
 * on its request (the model's contract), so a prepared result is the one the task would have computed itself, bit
 * for bit, whatever the call.
 *
 * <p>With {@code wm.batch.overlap=false} (and always in replay, which runs on a test driver) the calls run on the
 * stream thread itself, with the same requests and results.
 *
 * <p>Not thread-safe, by design: every member runs on the coordinator's stream thread; only the model calls run
 * elsewhere. The calls in flight and the members' upcoming requests change together at each call's start and end,
 * so they are kept in one place; the results kept for a task are in {@link KeptResults}.
 */
public final class ThreadBatchCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadBatchCoordinator.class);

    private final int maxRows;
    private final Thread thread;
    private final List<Member> members = new ArrayList<>();
    private final Runnable onEmpty;
    /** The model threads; none when calls run on the stream thread itself ({@code wm.batch.overlap=false}, replay). */
    private final List<ModelLane> lanes;
    /**
     * The calls given to the model threads, oldest first: on each, the one computing and at most one full call queued
     * behind it, so a model thread never waits for the stream thread to notice that a call finished.
     */
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    /** Follow-ups go into a call only when fewer than {@code maxRows} over this many chains could start. */
    static final int FEW_CHAINS_DIVISOR = 4;
    /** A due call starts beside another computing only with at least {@code maxRows} over this many requests. */
    static final int BESIDE_DIVISOR = 4;
    /** Computes the calls on the stream thread without model threads, and a task's own requests with them. */
    private final ChainComputer computer;
    /** A call finished on a model thread and none started since: the load keeps the model busy. */
    private boolean finishedSinceStart;
    /** The member whose requests come first in the next call: turns rotate, so no task waits behind the others. */
    private int firstMember;

    /** {@code modelThreads}: 0 computes the calls on the stream thread itself. */
    ThreadBatchCoordinator(ConversationModel model, int maxRows, int modelThreads, Thread thread, Runnable onEmpty) {
        this.maxRows = maxRows;
        this.thread = thread;
        this.onEmpty = onEmpty;
        this.computer = new ChainComputer(model, maxRows);
        List<ModelLane> threads = new ArrayList<>(modelThreads);
        for (int i = 0; i < modelThreads; i++) {
            threads.add(new ModelLane(i, thread.getName() + "-model" + (i == 0 ? "" : "-" + i), model, maxRows));
        }
        this.lanes = List.copyOf(threads);
    }

    /** Adds a task; its upcoming requests go into the thread's calls from now on. */
    Member join(UpcomingRequests upcoming) {
        Member member = new Member(upcoming);
        members.add(member);
        return member;
    }

    /** One task of the thread: what of its pending events the calls cover, and the results kept for it. */
    public final class Member implements ModelCalls {
        private final UpcomingRequests upcoming;
        private final KeptResults prepared = new KeptResults();
        /** Pending events (by sequence) in a call, in flight or finished, or that need none. */
        private final Set<Long> covered = new HashSet<>();
        /** Covered events whose call finished (or that need none): the task can run them without waiting. */
        private final Set<Long> ready = new HashSet<>();
        private boolean joined = true;
        /** Calls on the model thread that held this member's requests and failed, not yet taken by its task. */
        private int failedCalls;

        private Member(UpcomingRequests upcoming) {
            this.upcoming = upcoming;
        }

        /** The thread this member's task runs on; its calls must come from it. */
        public Thread thread() {
            return thread;
        }

        /**
         * Takes in the finished calls and starts the next one on an idle model thread if a call is due: with no call
         * computing, when a call has finished since the last start or at {@code anySize} (the task's punctuation: its
         * oldest event may have waited {@code wm.batch.max.wait.ms}); with one computing, only when it is full
         * ({@code maxRows} events wait). When every model thread computes, it queues the next call behind one of
         * them only when that call is full.
         */
        public void pump(boolean anySize) {
            if (collectFinished() && !lanes.isEmpty()) {
                finishedSinceStart = true;
            }
            if (members.isEmpty()) {
                return;
            }
            if (lanes.isEmpty()) {
                if (inFlight.isEmpty()) {
                    start(null, anySize, askable());
                    collectFinished(); // computed on this thread: take it in at once
                }
                return;
            }
            // After a call, the next starts at once: a conversation's next utterance is asked for from the result
            // of its previous one, before the task ran it (UpcomingRequests.next with the prepared results).
            // Counted once per pump when nothing starts, as on most records: it scans the pending events.
            int askable = askable();
            // While another call computes, an idle thread starts a due call only from a quarter of a full one: small
            // calls side by side cost more per row than one that grows meanwhile (docs/benchmarks.md, "What was
            // tried"), and waiting for a full one left a thread idle under a backlog.
            int beside = maxRows / BESIDE_DIVISOR;
            boolean due = (anySize || finishedSinceStart) && (inFlight.isEmpty() || askable >= beside);
            while (due || askable >= maxRows) {
                ModelLane lane = laneWithCalls(0);
                boolean queued = lane == null;
                if (queued) {
                    lane = laneWithCalls(1); // queued behind the call computing, only when full
                }
                if (lane == null || queued && askable < maxRows || !start(lane, due && !queued, askable)) {
                    break;
                }
                askable = askable();
                due = due && askable >= beside;
            }
        }

        /** How many calls holding this member's requests failed since the last time it asked; for its metrics. */
        public int takeFailedCalls() {
            int failed = failedCalls;
            failedCalls = 0;
            return failed;
        }

        /**
         * How this member's requests were answered since the last time it asked, and how many prepared results went
         * unused; for its metrics (a prediction that differs from the request is not an error, only waste).
         */
        public PredictionTally takePredictionTally() {
            return prepared.takeTally();
        }

        /** Whether any pending event can run now (when none, a task need not look for them). */
        public boolean anyReady() {
            return !ready.isEmpty();
        }

        /** Whether the pending event {@code sequence} can run now: its result is ready, or it needs none. */
        public boolean isReady(long sequence) {
            return ready.contains(sequence);
        }

        /**
         * Waits for the oldest call in flight and takes in its results (and those of any other call finished by
         * then); returns false, at once, when no call is in flight.
         */
        public boolean awaitOldestCall() {
            InFlight oldest = inFlight.pollFirst();
            if (oldest == null) {
                return false;
            }
            takeIn(oldest);
            collectFinished();
            finishedSinceStart = !lanes.isEmpty();
            return true;
        }

        /** Waits for the calls in flight, if any, and takes in their results. */
        public void settle() {
            while (!inFlight.isEmpty()) {
                takeIn(inFlight.removeFirst());
            }
        }

        /** The task ran its pending events up to {@code sequence}: what was kept for them is of no more use. */
        public void ranThrough(long sequence) {
            covered.removeIf(s -> s <= sequence);
            ready.removeIf(s -> s <= sequence);
            prepared.dropThrough(sequence);
        }

        /**
         * The task ran the pending events {@code sequences}, and its oldest event still waiting is
         * {@code oldestWaiting} ({@link Long#MAX_VALUE}: none): what was kept for them is of no more use. Events of
         * one conversation run in order, but not those of different ones: a conversation whose result is ready goes
         * ahead of one still in a call.
         */
        public void ran(Collection<Long> sequences, long oldestWaiting) {
            covered.removeAll(sequences);
            ready.removeAll(sequences);
            prepared.dropOlderThan(oldestWaiting);
        }

        @Override
        public List<ModelAnswer> advance(List<TurnRequest> requests) {
            ModelAnswer[] answers = new ModelAnswer[requests.size()];
            List<Integer> misses = prepared.take(requests, answers);
            List<Integer> missing = misses;
            if (!misses.isEmpty() && inFlight.stream().anyMatch(call -> call.covers(requests, missing))) {
                // The task must run these now (an idle scan runs everything pending): wait for what is computing.
                settle();
                misses = prepared.take(requests, answers);
            }
            prepared.counted(requests.size(), misses.size());
            if (!misses.isEmpty()) {
                List<TurnRequest> own = new ArrayList<>(misses.size());
                misses.forEach(i -> own.add(requests.get(i)));
                List<ModelAnswer> computed = computer.call(own);
                for (int m = 0; m < misses.size(); m++) {
                    answers[misses.get(m)] = computed.get(m);
                }
            }
            return Arrays.asList(answers);
        }

        /** Leaves the coordinator (the task closed): its results in flight are dropped, as are those kept. */
        public void leave() {
            if (joined) {
                joined = false;
                prepared.clear();
                members.remove(this);
                if (members.isEmpty()) {
                    inFlight.clear();
                    lanes.forEach(ModelLane::shutdown);
                    onEmpty.run();
                }
            }
        }
    }

    /** The first model thread with {@code calls} calls given to it and not taken in yet, or null. */
    private ModelLane laneWithCalls(int calls) {
        for (ModelLane lane : lanes) {
            if (inFlight.stream().filter(call -> call.lane() == lane).count() == calls) {
                return lane;
            }
        }
        return null;
    }

    /**
     * Starts a call with the members' upcoming requests on {@code lane} (null: on this thread), if it is {@code due}
     * or full ({@code askable}: {@link #askable()} now); returns whether one started.
     */
    private boolean start(ModelLane lane, boolean due, int askable) {
        if (!due && askable < maxRows) {
            return false;
        }
        // Follow-ups run in rounds of one row per chain still going, and the call's results wait for its last round:
        // worth it only when few conversations wait (a flood on one, a log replayed conversation by conversation).
        // With many, a conversation's next utterance goes into the next call, with the others.
        int followUps = askable < maxRows / FEW_CHAINS_DIVISOR ? maxRows : 0;
        List<UpcomingRequests.Chain> chains = new ArrayList<>();
        List<Share> shares = new ArrayList<>();
        int count = members.size();
        for (int k = 0; k < count && chains.size() < maxRows; k++) {
            Member member = members.get((firstMember + k) % count);
            UpcomingRequests.Upcoming next = upcomingOf(member, continuableOn(lane, member), maxRows - chains.size(),
                    followUps);
            if (next.sequences().isEmpty()) {
                continue;
            }
            if (next.chains().isEmpty()) {
                // Only events that need no model call (control events, duplicates): nothing to wait for.
                member.covered.addAll(next.sequences());
                member.ready.addAll(next.sequences());
                continue;
            }
            shares.add(new Share(member, chains.size(), next.chains().size(), next.sequences()));
            chains.addAll(next.chains());
        }
        firstMember = count == 0 ? 0 : (firstMember + 1) % count;
        if (chains.isEmpty() || !due && chains.size() < maxRows) {
            return false;
        }
        for (Share share : shares) {
            share.member().covered.addAll(share.sequences());
        }
        List<UpcomingRequests.Chain> job = List.copyOf(chains);
        Set<String> conversations = new HashSet<>();
        job.forEach(chain -> conversations.add(chain.first().conversationId()));
        finishedSinceStart = false;
        inFlight.addLast(new InFlight(lane != null ? lane.submit(job) : computer.computeNow(job), conversations, shares,
                lane));
        return true;
    }

    /**
     * The events of {@code member} in calls still in flight that a call on {@code lane} may chain after: those of
     * the calls given to the same model thread, which computes them first and keeps the states they leave.
     */
    private LongPredicate continuableOn(ModelLane lane, Member member) {
        if (lane == null) {
            return sequence -> true;
        }
        Set<Long> onLane = new HashSet<>();
        for (InFlight call : inFlight) {
            if (call.lane() == lane) {
                for (Share share : call.shares()) {
                    if (share.member() == member) {
                        onLane.addAll(share.sequences());
                    }
                }
            }
        }
        return onLane::contains;
    }

    /** How many chains the members could start now, counted up to {@code maxRows} (cheap: it reads no memory). */
    private int askable() {
        int askable = 0;
        for (Member member : members) {
            try {
                askable += member.upcoming.askable(member.covered::contains, maxRows - askable);
            } catch (RuntimeException e) {
                // Its stores cannot be read now; it is left out of the count as it is left out of the call.
            }
            if (askable >= maxRows) {
                break;
            }
        }
        return askable;
    }

    /** Takes in every call in flight that finished; returns whether one was. */
    private boolean collectFinished() {
        boolean any = false;
        for (Iterator<InFlight> calls = inFlight.iterator(); calls.hasNext();) {
            InFlight call = calls.next();
            if (call.results().isDone()) {
                calls.remove();
                takeIn(call);
                any = true;
            }
        }
        return any;
    }

    /**
     * Takes in a call given out, once it finishes. Its members' events become ready even when it failed: each task
     * then computes its own requests, with its retries and dead letters, so one task's bad request never fails
     * another's.
     */
    private void takeIn(InFlight call) {
        ChainComputer.Computed computed = null;
        try {
            computed = call.results().get();
        } catch (ExecutionException e) {
            // Not silent: a model that keeps failing here doubles every task's work (each computes its own).
            LOG.warn("A model call of {} conversations failed ({}); each task computes its own",
                    call.conversations().size(), e.getCause() == null ? e.toString() : e.getCause().toString());
            for (Share share : call.shares()) {
                share.member().failedCalls++;
            }
        } catch (InterruptedException e) {
            // The stream thread is being stopped: its tasks compute what they still need themselves, if anything.
            Thread.currentThread().interrupt();
        }
        for (Share share : call.shares()) {
            Member member = share.member();
            if (!member.joined) {
                continue;
            }
            if (computed != null) {
                long newest = share.sequences().get(share.sequences().size() - 1);
                for (int c = share.from(); c < share.from() + share.count(); c++) {
                    for (ChainComputer.Keyed keyed : computed.byChain().get(c)) {
                        member.prepared.keep(keyed.key(), keyed.answer(), newest);
                    }
                }
            }
            member.ready.addAll(share.sequences());
        }
    }

    /**
     * A member's upcoming requests, or none when its stores cannot be read now (a task being closed or restored in a
     * rebalance): a guess that fails costs the task a call of its own, never another task's results.
     */
    private static UpcomingRequests.Upcoming upcomingOf(Member member, LongPredicate continuable, int room,
            int followUps) {
        try {
            return member.upcoming.next(member.covered::contains, member.ready::contains, continuable,
                    member.prepared::peek, room, followUps);
        } catch (RuntimeException e) {
            LOG.debug("Cannot read a task's upcoming requests ({}); they wait for the next call", e.toString());
            return UpcomingRequests.Upcoming.none();
        }
    }

    /** A member's chains in a call: {@code count} from index {@code from}, for the events {@code sequences}. */
    private record Share(Member member, int from, int count, List<Long> sequences) {
    }

    /**
     * A call given out: its results to come, the conversations it advances, whose they are, and the model thread
     * computing it (null: computed on the stream thread).
     */
    private record InFlight(Future<ChainComputer.Computed> results, Set<String> conversations, List<Share> shares,
            ModelLane lane) {
        /** Whether this call advances the conversation of any of {@code requests} at the indexes {@code which}. */
        boolean covers(List<TurnRequest> requests, List<Integer> which) {
            return which.stream().anyMatch(i -> conversations.contains(requests.get(i).conversationId()));
        }
    }

}
