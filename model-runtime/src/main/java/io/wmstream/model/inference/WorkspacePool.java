package io.wmstream.model.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The workspaces of a model's callers: each call borrows one (no two threads ever hold the same), most recently
 * used first so that its buffers are warm; closing waits for running calls and refuses later ones.
 */
final class WorkspacePool implements AutoCloseable {
    private final String model;
    private final Supplier<Workspace> factory;
    private final ConcurrentLinkedDeque<Workspace> idle = new ConcurrentLinkedDeque<>();
    private final List<Workspace> all = new ArrayList<>();
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    WorkspacePool(String model, Supplier<Workspace> factory) {
        this.model = model;
        this.factory = factory;
    }

    /** Works with a borrowed workspace. */
    <T> T withWorkspace(Function<Workspace, T> work) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("Model " + model + " is closed");
            }
            Workspace workspace = idle.pollFirst();
            if (workspace == null) {
                workspace = factory.get();
                synchronized (all) {
                    all.add(workspace);
                }
            }
            try {
                return work.apply(workspace);
            } finally {
                idle.addFirst(workspace);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Closes every workspace once no call holds one; true the first time, false when already closed. */
    boolean closeAll() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            synchronized (all) {
                all.forEach(Workspace::close);
                all.clear();
            }
            idle.clear();
            return true;
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        closeAll();
    }
}
