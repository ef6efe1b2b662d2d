package io.wmstream.topology;

/** Whether the topology's state stores write changelog topics. */
public enum StoreLogging {
    /** The service: a crash or a move to another instance restores every store from its changelog. */
    CHANGELOGGED,
    /** An offline replay on a test driver: nothing to restore from, and every changelog record would be discarded. */
    NOT_LOGGED
}
