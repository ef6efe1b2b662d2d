package io.wmstream.app.pipeline;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream thread dies of an exception. A thread whose transaction the broker ended under it
 * (a broker restart while a commit was in flight: the broker aborts the timed-out transaction and the commit then
 * gets {@link InvalidTxnStateException}, which Kafka Streams treats as fatal) is replaced: the new thread's producer
 * starts a fresh transactional session, and its tasks resume from the last committed offsets and state, so nothing
 * is lost or doubled. Anything else, or more than {@link #MAX_REPLACEMENTS} replacements within
 * {@link #WINDOW_MS}, stops the client as before: a failure that keeps coming back is not transient.
 */
final class StreamThreadFailureHandler implements StreamsUncaughtExceptionHandler {
    /** At most this many threads replaced within {@link #WINDOW_MS}; the next failure stops the client. */
    static final int MAX_REPLACEMENTS = 3;
    static final long WINDOW_MS = 10 * 60 * 1000L;

    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailureHandler.class);
    /**
     * The broker no longer knows the thread's producer session or transaction; a new producer (a new thread) gets
     * a new one. A {@link TimeoutException} is a broker that stayed away longer than {@code task.timeout.ms}.
     */
    private static final List<Class<? extends Throwable>> TRANSIENT = List.of(InvalidTxnStateException.class,
            InvalidProducerEpochException.class, ProducerFencedException.class, TransactionAbortableException.class,
            UnknownProducerIdException.class, TimeoutException.class);

    private final LongSupplier clockMs;
    private final Deque<Long> replacedAtMs = new ArrayDeque<>();
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();

    StreamThreadFailureHandler(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable failure) {
        Optional<Throwable> transientCause = transientCause(failure);
        long now = clockMs.getAsLong();
        while (!replacedAtMs.isEmpty() && now - replacedAtMs.peekFirst() >= WINDOW_MS) {
            replacedAtMs.removeFirst();
        }
        if (transientCause.isPresent() && replacedAtMs.size() < MAX_REPLACEMENTS) {
            replacedAtMs.addLast(now);
            LOG.warn("A stream thread failed because the broker ended its transaction or was unreachable ({}); "
                    + "replacing the thread ({} of at most {} in {} minutes): it resumes from the last commit",
                    transientCause.get().toString(), replacedAtMs.size(), MAX_REPLACEMENTS, WINDOW_MS / 60_000);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        if (transientCause.isPresent()) {
            LOG.error("A stream thread failed again ({}), after {} replacements in {} minutes; stopping",
                    transientCause.get().toString(), replacedAtMs.size(), WINDOW_MS / 60_000);
        }
        fatal.compareAndSet(null, failure);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** The first failure that stopped the client, if one did. */
    Optional<Throwable> fatalFailure() {
        return Optional.ofNullable(fatal.get());
    }

    private static Optional<Throwable> transientCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            for (Class<? extends Throwable> kind : TRANSIENT) {
                if (kind.isInstance(cause)) {
                    return Optional.of(cause);
                }
            }
        }
        return Optional.empty();
    }
}
