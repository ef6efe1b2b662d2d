package io.wmstream.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailureHandlerTest {
    private final AtomicLong nowMs = new AtomicLong(1_000_000L);
    private final StreamThreadFailureHandler handler = new StreamThreadFailureHandler(nowMs::get);

    /** What Kafka Streams 4.3 raises when a commit meets a transaction the restarted broker has aborted. */
    private static StreamsException commitAfterBrokerAbort() {
        return new StreamsException("Error encountered trying to commit a transaction [stream-thread [app-1]]",
                new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state."));
    }

    @Test
    void shouldReplaceAThreadWhoseTransactionTheBrokerEnded() {
        // Given a thread that died committing a transaction the broker aborted during a restart
        // When the handler decides
        StreamThreadExceptionResponse response = handler.handle(commitAfterBrokerAbort());
        // Then the thread is replaced and the client does not count as failed
        assertThat(response).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(handler.fatalFailure()).isEmpty();
    }

    @Test
    void shouldReplaceAThreadThatTimedOutWaitingForTheBroker() {
        StreamThreadExceptionResponse response = handler.handle(new StreamsException("task timed out",
                new TimeoutException("Timeout expired after 300000ms while awaiting InitProducerId")));
        assertThat(response).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void shouldStopTheClientOnAFailureThatIsNotTheBrokers() {
        // Given a thread that died of a bug
        StreamsException bug = new StreamsException("Exception caught in process",
                new IllegalStateException("pending store out of order"));
        // When the handler decides
        StreamThreadExceptionResponse response = handler.handle(bug);
        // Then the client stops, and the failure is kept to be reported
        assertThat(response).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(handler.fatalFailure()).containsSame(bug);
    }

    @Test
    void shouldStopTheClientWhenReplacedThreadsKeepFailing() {
        // Given as many replacements as allowed within the window
        for (int i = 0; i < StreamThreadFailureHandler.MAX_REPLACEMENTS; i++) {
            assertThat(handler.handle(commitAfterBrokerAbort())).isEqualTo(
                    StreamThreadExceptionResponse.REPLACE_THREAD);
            nowMs.addAndGet(60_000);
        }
        // When one more thread fails the same way inside the window
        StreamsException again = commitAfterBrokerAbort();
        StreamThreadExceptionResponse response = handler.handle(again);
        // Then the client stops: a failure that keeps coming back is not transient
        assertThat(response).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(handler.fatalFailure()).containsSame(again);
    }

    @Test
    void shouldReplaceAgainOnceEarlierReplacementsLeftTheWindow() {
        // Given the allowed replacements, all at one moment
        for (int i = 0; i < StreamThreadFailureHandler.MAX_REPLACEMENTS; i++) {
            handler.handle(commitAfterBrokerAbort());
        }
        // When the next failure comes a whole window later
        nowMs.addAndGet(StreamThreadFailureHandler.WINDOW_MS);
        // Then the thread is replaced again
        assertThat(handler.handle(commitAfterBrokerAbort())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
}
