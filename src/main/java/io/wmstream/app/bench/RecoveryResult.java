package io.wmstream.app.bench;

import java.util.Locale;

/**
 * The figures of one {@link RecoveryTrial}: seconds are from the {@code kill -9}; a phase the restarted instance's
 * log did not show is {@code NaN}.
 *
 * @param seconds to the first new reply, as a read_committed reader sees it
 * @param startedSeconds to "wmstream is running" (its Streams started, restore under way)
 * @param firstLogSeconds to the restarted instance's first log line
 * @param restoredSeconds to its last "finished restoring" line
 * @param stateBytes the state directory's size at the kill
 * @param restoredRecords changelog records the restart restored (the sum of Streams' "total number of N records")
 * @param restoredChangelogs changelog partitions it restored
 * @param corruptedTaskLogs log lines naming a corrupted task ({@code TaskCorruptedException}, "are corrupted")
 */
public record RecoveryResult(boolean transactional, int conversations, double seconds, double startedSeconds,
                             double firstLogSeconds, double restoredSeconds, long stateBytes, long restoredRecords,
                             int restoredChangelogs, int corruptedTaskLogs) {
    /** One line for the report: the mode, the time and the phases, the state and what was restored. */
    public String line() {
        return String.format(Locale.ROOT, "transactional stores %-3s: %6.1f s (Streams starting after %s s,"
                + " restored after %s s, RUNNING reported after %s s); state directory %,d MB at the kill;"
                + " restored %,d records from %d changelog partitions; %d task-corrupted log lines",
                transactional ? "on" : "off", seconds, orDash(firstLogSeconds), orDash(restoredSeconds),
                orDash(startedSeconds), stateBytes / 1_000_000, restoredRecords, restoredChangelogs,
                corruptedTaskLogs);
    }

    /** A phase the logs did not show (RUNNING is reported after the reply when they come together): "-". */
    private static String orDash(double seconds) {
        return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.1f", seconds);
    }
}
