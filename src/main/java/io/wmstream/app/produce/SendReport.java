package io.wmstream.app.produce;

import java.util.List;

/**
 * What an {@link EventLogSender} did: lines sent and acknowledged (invalid ones included when sent anyway), lines
 * that are not valid events, lines Kafka did not accept, and the first few problems (line and reason) for the user.
 */
public record SendReport(long sent, long invalid, long failed, List<String> problems, long elapsedMillis) {
    public SendReport {
        problems = List.copyOf(problems);
    }

}
