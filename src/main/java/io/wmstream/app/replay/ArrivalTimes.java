package io.wmstream.app.replay;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.TreeMap;

/**
 * Stand-in arrival times for the lines of a JSONL log, which, unlike a topic's records, carry no time of their own
 * that the sender did not write. A live run judges an event's own time against the stream's time and the record's
 * Kafka timestamp, and dead-letters one too far ahead ({@code future-timestamp}); a replay that took each line's own
 * time as its record's could refuse none, so one line dated 2099 moved stream time 73 years ahead and every
 * conversation open then expired. Here a timestamped line arrives at the earliest of its own time and the times of
 * the {@value #LOOKAHEAD} lines after it: the lines after it arrived later, so a line dated far beyond them is
 * contradicted by them, while a line after a genuine quiet gap is followed by lines as late as it and keeps its
 * own time. A line dated before the previous stand-in is late (late events are normal and accepted) and says
 * nothing about when later lines arrived, so it does not count. A log in time order gets each line's own time, so
 * it replays to the same bytes as before.
 *
 * <p>Limits: a line dated ahead with no timestamped line after it (among the last of the log), or one of more
 * than {@value #LOOKAHEAD} lines dated ahead in a row, keeps its own time; the first timestamped line has no stand-in
 * before it, so late lines right after it count against it; and a log out of time order by more than
 * {@code wm.event.time.max.skew.ms} (conversations grouped one after the other whose times overlap) has the lines
 * that run ahead refused, as a live run would if they had arrived in that order.
 *
 * @param <T> what a line is to the caller; it comes back with its stand-in time, in the order it was added
 */
final class ArrivalTimes<T> {
    /** Lines after a line whose times can contradict its own. */
    static final int LOOKAHEAD = 1024;

    /** Receives the lines in the order they were added, each with its stand-in time (-1 when it has no time). */
    interface Sink<T> {
        void accept(T line, long arrivalMs) throws IOException;
    }

    private record Line<T>(T line, long ownMs) {
    }

    private final int lookahead;
    private final ArrayDeque<Line<T>> pending = new ArrayDeque<>();
    /** The own times of the pending lines, each with how many lines have it. */
    private final TreeMap<Long, Integer> times = new TreeMap<>();
    private long previous = -1;

    ArrivalTimes() {
        this(LOOKAHEAD);
    }

    /** Stand-in times judged against the next {@code lookahead} lines (tests use a short one). */
    ArrivalTimes(int lookahead) {
        if (lookahead < 1) {
            throw new IllegalArgumentException("lookahead must be at least 1, got " + lookahead);
        }
        this.lookahead = lookahead;
    }

    /**
     * Adds the next line, with its own time ({@code ownMs}, -1 when it has none); hands {@code sink} the line whose
     * lookahead is now complete, if any.
     */
    void add(T line, long ownMs, Sink<T> sink) throws IOException {
        pending.addLast(new Line<>(line, ownMs));
        if (ownMs >= 0) {
            times.merge(ownMs, 1, Integer::sum);
        }
        if (pending.size() > lookahead) {
            release(sink);
        }
    }

    /** Hands {@code sink} every line still pending: the end of the log. */
    void finish(Sink<T> sink) throws IOException {
        while (!pending.isEmpty()) {
            release(sink);
        }
    }

    private void release(Sink<T> sink) throws IOException {
        Line<T> head = pending.removeFirst();
        if (head.ownMs() < 0) {
            sink.accept(head.line(), -1);
            return;
        }
        times.computeIfPresent(head.ownMs(), (time, count) -> count == 1 ? null : count - 1);
        Long earliestAfter = previous < 0 ? (times.isEmpty() ? null : times.firstKey()) : times.ceilingKey(previous);
        long arrival = earliestAfter == null ? head.ownMs() : Math.min(head.ownMs(), earliestAfter);
        // Arrivals only move forward: a late line keeps its own (earlier) time but lowers no later line's floor.
        previous = Math.max(previous, arrival);
        sink.accept(head.line(), arrival);
    }
}
