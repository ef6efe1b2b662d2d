package io.wmstream.topology.batching;

import io.wmstream.model.ConversationModel;
import io.wmstream.model.ModelFailureException;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The computing side of {@link ThreadBatchCoordinator}: runs a call's chains on the model, a chained conversation
 * from the state its previous call left, and keys every result by its exact request. Used by one thread at a time,
 * one call after another (the model thread, or the stream thread without one); not thread-safe.
 */
final class ChainComputer {
    private final ConversationModel model;
    /**
     * The state the latest request of each conversation computed here left, read and written by the thread that
     * computes the calls only (the model thread, or the stream thread without one), one call after another: a chain
     * that {@link UpcomingRequests.Chain#continues()} starts from it. The newest {@link #LATEST_STATES_PER_ROW} times
     * {@code maxRows} are kept; a state missing or stale makes a request the task will not make, which wastes its
     * row and changes no result (a result is only used for the exact request it was computed for).
     */
    private final Map<String, float[]> latestStates;
    static final int LATEST_STATES_PER_ROW = 8;

    ChainComputer(ConversationModel model, int maxRows) {
        this.model = model;
        int keep = LATEST_STATES_PER_ROW * maxRows;
        this.latestStates = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > keep;
            }
        };
    }

    /**
     * Runs on the model thread (or on the stream thread without one): the chains' first requests in one call, then
     * their follow-ups, each round a call of one request per chain still going, from the states the round before
     * left. Every result is keyed by its exact request, as the task will make it.
     */
    Computed compute(List<UpcomingRequests.Chain> job) {
        List<List<Keyed>> byChain = new ArrayList<>(job.size());
        List<TurnRequest> round = new ArrayList<>(job.size());
        List<Integer> going = new ArrayList<>(job.size());
        for (int c = 0; c < job.size(); c++) {
            UpcomingRequests.Chain chain = job.get(c);
            byChain.add(new ArrayList<>(1 + chain.followUps().size()));
            TurnRequest first = chain.first();
            if (chain.continues()) {
                // Its conversation's earlier events were in a call computed before this one, on this thread.
                first = new TurnRequest(first.conversationId(), first.turn(), latestStates.get(first.conversationId()),
                        first.speaker(), first.text(), first.reply());
            }
            round.add(first);
            going.add(c);
        }
        for (int step = 0; !round.isEmpty(); step++) {
            List<ModelAnswer> answers = call(round);
            List<TurnRequest> nextRound = new ArrayList<>();
            List<Integer> nextGoing = new ArrayList<>();
            for (int i = 0; i < round.size(); i++) {
                int c = going.get(i);
                TurnResult result = answers.get(i).result();
                byChain.get(c).add(new Keyed(round.get(i).conversationId(), RequestKey.of(round.get(i)),
                        answers.get(i)));
                List<TurnRequest> followUps = job.get(c).followUps();
                if (step < followUps.size()) {
                    TurnRequest follow = followUps.get(step);
                    nextRound.add(new TurnRequest(follow.conversationId(), follow.turn(), result.state(),
                            follow.speaker(), follow.text(), follow.reply()));
                    nextGoing.add(c);
                }
            }
            round = nextRound;
            going = nextGoing;
        }
        for (List<Keyed> chain : byChain) {
            Keyed last = chain.get(chain.size() - 1);
            latestStates.put(last.conversationId(), last.answer().result().state());
        }
        return new Computed(byChain);
    }

    /** {@link #compute} on this thread, as a finished future (failed when the call failed). */
    CompletableFuture<Computed> computeNow(List<UpcomingRequests.Chain> job) {
        CompletableFuture<Computed> done = new CompletableFuture<>();
        try {
            done.complete(compute(job));
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** One model call: its results, checked against the requests, each with the call that computed it. */
    List<ModelAnswer> call(List<TurnRequest> requests) {
        long started = System.nanoTime();
        List<TurnResult> results = model.advance(requests);
        if (results.size() != requests.size()) {
            throw new ModelFailureException("model returned " + results.size() + " results for " + requests.size()
                    + " requests");
        }
        ModelCall call = new ModelCall(requests.size(), (System.nanoTime() - started) / 1e6);
        List<ModelAnswer> answers = new ArrayList<>(results.size());
        results.forEach(result -> answers.add(new ModelAnswer(result, call)));
        return answers;
    }

    /** Each chain's results, in order. */
    record Computed(List<List<Keyed>> byChain) {
    }

    record Keyed(String conversationId, RequestKey key, ModelAnswer answer) {
    }
}
