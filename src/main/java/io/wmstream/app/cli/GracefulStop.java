package io.wmstream.app.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns SIGTERM or Ctrl-C into an orderly stop of a running command. The JVM exits as soon as its shutdown hooks
 * return, so the hook asks the command to stop and then waits, at most {@code bound}, until the command has
 * cleaned up ({@link #close()}). Until the command says how to stop ({@link #onStop}), a stop interrupts the
 * command's thread, which ends any wait of its start-up.
 */
public final class GracefulStop implements AutoCloseable {
    private final CommandContext.ShutdownHooks hooks;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicReference<Runnable> action;
    private final Thread hook;

    private GracefulStop(CommandContext.ShutdownHooks hooks, Duration bound) {
        this.hooks = hooks;
        Thread owner = Thread.currentThread();
        this.action = new AtomicReference<>(owner::interrupt);
        this.hook = new Thread(() -> {
            requested.set(true);
            action.get().run();
            try {
                finished.await(bound.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "wmstream-shutdown");
    }

    /** Registers the hook for the calling thread's command. */
    public static GracefulStop register(CommandContext context, Duration bound) {
        GracefulStop stop = new GracefulStop(context.shutdownHooks(), bound);
        context.shutdownHooks().add(stop.hook);
        return stop;
    }

    /** What a stop does from now on, instead of interrupting; runs at once when a stop was already requested. */
    public void onStop(Runnable stopAction) {
        action.set(stopAction);
        if (requested.get()) {
            stopAction.run();
        }
    }

    /** True once a stop was requested. */
    public boolean requested() {
        return requested.get();
    }

    /** The command has cleaned up: the hook may return and the JVM exit. */
    @Override
    public void close() {
        finished.countDown();
        hooks.remove(hook);
    }
}
