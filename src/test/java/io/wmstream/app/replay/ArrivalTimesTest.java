package io.wmstream.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrivalTimesTest {
    private static final long TEN = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000L;
    private static final long FAR_AHEAD = Instant.parse("2099-01-01T00:00:00Z").toEpochMilli();

    @Test
    void shouldGiveEachLineOfALogInTimeOrderItsOwnTime() throws IOException {
        // Given a log in time order, two lines at the same time, one line without a time
        long[] own = {TEN, TEN + MINUTE, TEN + MINUTE, -1, TEN + 3 * MINUTE, TEN + 4 * MINUTE};

        // When its stand-in times are read with a lookahead shorter than the log
        List<Long> arrivals = arrivals(3, own);

        // Then every timestamped line keeps its own time and the line without one has none
        assertThat(arrivals).containsExactly(TEN, TEN + MINUTE, TEN + MINUTE, -1L, TEN + 3 * MINUTE,
                TEN + 4 * MINUTE);
    }

    @Test
    void shouldGiveALineDatedFarAheadTheTimeOfTheLinesAfterIt() throws IOException {
        // Given a conversation's two turns, one line dated 2099, then the conversation's next turn
        long[] own = {TEN, TEN + MINUTE, FAR_AHEAD, TEN + 2 * MINUTE};

        // When its stand-in times are read
        List<Long> arrivals = arrivals(ArrivalTimes.LOOKAHEAD, own);

        // Then the far line arrives when the line after it was written, and the others at their own times
        assertThat(arrivals).containsExactly(TEN, TEN + MINUTE, TEN + 2 * MINUTE, TEN + 2 * MINUTE);
    }

    @Test
    void shouldKeepTheOwnTimeOfALineAfterAQuietHour() throws IOException {
        // Given a log that goes quiet for an hour, then goes on
        long[] own = {TEN, TEN + MINUTE, TEN + 61 * MINUTE, TEN + 62 * MINUTE, TEN + 63 * MINUTE};

        // When its stand-in times are read
        List<Long> arrivals = arrivals(ArrivalTimes.LOOKAHEAD, own);

        // Then the line after the gap keeps its own time: the lines after it are as late
        assertThat(arrivals).containsExactly(TEN, TEN + MINUTE, TEN + 61 * MINUTE, TEN + 62 * MINUTE,
                TEN + 63 * MINUTE);
    }

    @Test
    void shouldNotLetALateLineContradictTheLinesBeforeIt() throws IOException {
        // Given a line dated 2099 followed by a late line (dated yesterday), then the log going on
        long day = 24 * 60 * MINUTE;
        long[] own = {TEN, TEN + MINUTE, FAR_AHEAD, TEN - day, TEN + 2 * MINUTE};

        // When its stand-in times are read with a lookahead of two lines
        List<Long> arrivals = arrivals(2, own);

        // Then the line before the late one keeps its time, the far line is judged by the line after the late one,
        // and the late line keeps its own time
        assertThat(arrivals).containsExactly(TEN, TEN + MINUTE, TEN + 2 * MINUTE, TEN - day, TEN + 2 * MINUTE);
    }

    @Test
    void shouldCountALateLineAgainstTheFirstTimedLine() throws IOException {
        // Given a log whose first timestamped line is followed by a late line (a documented limit)
        long day = 24 * 60 * MINUTE;
        long[] own = {-1, TEN, TEN - day, TEN + MINUTE};

        // When its stand-in times are read
        List<Long> arrivals = arrivals(ArrivalTimes.LOOKAHEAD, own);

        // Then no line before it tells the late line from a contradiction: the first timed line gets the late time
        assertThat(arrivals).containsExactly(-1L, TEN - day, TEN - day, TEN + MINUTE);
    }

    @Test
    void shouldKeepTheOwnTimeOfALineDatedAheadWithNoTimedLineAfterIt() throws IOException {
        // Given a log whose last timestamped line is dated 2099 (a documented limit)
        long[] own = {TEN, TEN + MINUTE, FAR_AHEAD, -1};

        // When its stand-in times are read
        List<Long> arrivals = arrivals(ArrivalTimes.LOOKAHEAD, own);

        // Then nothing contradicts it: it keeps its own time
        assertThat(arrivals).containsExactly(TEN, TEN + MINUTE, FAR_AHEAD, -1L);
    }

    @Test
    void shouldKeepTheOwnTimeOfLinesDatedAheadBeyondTheLookahead() throws IOException {
        // Given more lines dated 2099 in a row than the lookahead holds, then the log going on (a documented limit)
        long[] own = {TEN, FAR_AHEAD, FAR_AHEAD + 1, FAR_AHEAD + 2, TEN + MINUTE};

        // When its stand-in times are read with a lookahead of two lines
        List<Long> arrivals = arrivals(2, own);

        // Then the first of them sees only lines as far ahead and keeps its time, and with it the stream's time has
        // moved there: the lines after it keep theirs too, and the line of the log going on is late
        assertThat(arrivals).containsExactly(TEN, FAR_AHEAD, FAR_AHEAD + 1, FAR_AHEAD + 2, TEN + MINUTE);
    }

    /** The stand-in time of each line, in the order the lines were handed back. */
    private static List<Long> arrivals(int lookahead, long... own) throws IOException {
        ArrivalTimes<Integer> times = new ArrivalTimes<>(lookahead);
        List<Integer> order = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        ArrivalTimes.Sink<Integer> sink = (line, arrivalMs) -> {
            order.add(line);
            arrivals.add(arrivalMs);
        };
        for (int i = 0; i < own.length; i++) {
            times.add(i, own[i], sink);
        }
        times.finish(sink);
        assertThat(order).isSorted().hasSize(own.length);
        return arrivals;
    }
}
