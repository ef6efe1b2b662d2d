package io.wmstream.topology.processor;

import io.wmstream.topology.config.TopologySettings;
import io.wmstream.topology.memory.WorkingMemory;

/**
 * Whether a conversation went idle ({@code wm.idle.expiry.ms}) before an event of its own arrived. On the stream
 * clock an event that comes that long after its conversation's last one finds it closed, whether or not the task's
 * idle scan ran in between: the answer then depends on the conversation's own events alone, as in a replay.
 */
final class IdleExpiry {
    private IdleExpiry() {
    }

    /** True when {@code memory} was idle for the expiry time at {@code eventTimeMs} (never on the wall clock). */
    static boolean expiredBy(TopologySettings settings, WorkingMemory memory, long eventTimeMs) {
        return settings.idleExpiryMs() > 0 && !settings.idleOnWallClock()
                && eventTimeMs - memory.lastActivityMs() >= settings.idleExpiryMs();
    }
}
