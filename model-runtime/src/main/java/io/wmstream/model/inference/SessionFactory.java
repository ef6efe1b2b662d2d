package io.wmstream.model.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.wmstream.model.Device;
import io.wmstream.model.DeviceUnavailableException;
import io.wmstream.model.ModelFailureException;
import io.wmstream.model.ModelRuntimeConfig;
import io.wmstream.model.bundle.InvalidBundleException;
import io.wmstream.model.bundle.OnnxGraphPruner;
import io.wmstream.model.bundle.ModelBundle;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Opens the step graph on the configured device. {@code auto} tries CUDA when this ONNX Runtime build has it and
 * keeps it only if a warm-up call succeeds, else uses the CPU; a strict {@code cuda} fails with the reason.
 */
final class SessionFactory {
    /** ONNX Runtime session option keys for idle thread spinning. */
    static final String INTRA_OP_SPINNING = "session.intra_op.allow_spinning";
    static final String INTER_OP_SPINNING = "session.inter_op.allow_spinning";

    private SessionFactory() {
    }

    /** The opened graph and where it runs, with why (for the one log line). */
    record Opened(StepGraph graph, String device, String reason) {
    }

    /** A warm-up call on a freshly opened graph; throws when the device cannot run it. */
    @FunctionalInterface
    interface WarmUp {
        void run(StepGraph graph);
    }

    static Opened open(OrtEnvironment environment, ModelBundle bundle, ModelRuntimeConfig config, WarmUp warmUp,
            Consumer<String> debug) {
        Device device = config.device();
        byte[] model = bundle.modelBytes();
        EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
        boolean cudaBuild = providers.contains(OrtProvider.CUDA);
        switch (device.kind()) {
            case CPU:
                return new Opened(openCpu(environment, bundle, model, config, warmUp, debug), "cpu", "configured");
            case CUDA: {
                if (!cudaBuild) {
                    throw new DeviceUnavailableException(strictMessage(device, "this ONNX Runtime build has no CUDA "
                            + "execution provider (providers: " + providers + "); build with the gpu profile "
                            + "(onnxruntime_gpu)"), null);
                }
                try {
                    return new Opened(openCuda(environment, bundle, model, config, device.cudaIndex(), warmUp, debug),
                            device.toString(), "configured");
                } catch (InvalidBundleException e) {
                    throw e;
                } catch (RuntimeException | OrtException e) {
                    throw new DeviceUnavailableException(strictMessage(device, rootMessage(e) + driverHint()), e);
                }
            }
            case AUTO:
            default: {
                if (!cudaBuild) {
                    return new Opened(openCpu(environment, bundle, model, config, warmUp, debug), "cpu",
                            "auto: this ONNX Runtime build has no CUDA execution provider");
                }
                try {
                    return new Opened(openCuda(environment, bundle, model, config, 0, warmUp, debug), "cuda:0",
                            "auto: CUDA provider present and the warm-up call succeeded");
                } catch (InvalidBundleException e) {
                    throw e;
                } catch (RuntimeException | OrtException e) {
                    String reason = rootMessage(e) + driverHint();
                    debug.accept("CUDA unavailable, using the CPU: " + reason);
                    return new Opened(openCpu(environment, bundle, model, config, warmUp, debug), "cpu",
                            "auto: CUDA could not be used: " + reason);
                }
            }
        }
    }

    private static String strictMessage(Device device, String reason) {
        return "wm.model.device=" + (device.cudaIndex() == 0 ? "cuda" : device.toString())
                + " asks for CUDA, which cannot be used: " + reason
                + ". Run on a machine with an NVIDIA GPU, CUDA 12 and cuDNN 9 with the onnxruntime_gpu build, "
                + "or set wm.model.device=auto (CUDA when available, else CPU) or cpu.";
    }

    private static StepGraph openCpu(OrtEnvironment environment, ModelBundle bundle, byte[] model,
            ModelRuntimeConfig config, WarmUp warmUp, Consumer<String> debug) {
        try {
            return open(environment, bundle, model, config, -1, warmUp, debug);
        } catch (OrtException e) {
            throw new ModelFailureException("ONNX Runtime could not open " + bundle.manifest().graph().file()
                    + " of " + bundle.source() + " on the CPU: " + e.getMessage(), e);
        }
    }

    private static StepGraph openCuda(OrtEnvironment environment, ModelBundle bundle, byte[] model,
            ModelRuntimeConfig config, int index, WarmUp warmUp, Consumer<String> debug) throws OrtException {
        return open(environment, bundle, model, config, index, warmUp, debug);
    }

    /**
     * Opens on the CPU ({@code cudaIndex} -1) or a CUDA device, with the graph's pruned copies (state only; with a
     * tagger also state and tags, and logits and state) beside it where they can be had; the graph owns the options
     * it was opened with.
     */
    private static StepGraph open(OrtEnvironment environment, ModelBundle bundle, byte[] model,
            ModelRuntimeConfig config, int cudaIndex, WarmUp warmUp, Consumer<String> debug) throws OrtException {
        OrtSession.SessionOptions options = options(config);
        OrtSession session = null;
        OrtSession stateSession = null;
        OrtSession tagSession = null;
        OrtSession decodeSession = null;
        StepGraph graph = null;
        try {
            if (cudaIndex >= 0) {
                options.addCUDA(cudaIndex);
            }
            session = environment.createSession(model, options);
            StepGraph.checkSignature(session, bundle);
            stateSession = openPruned(environment, bundle, model, options, Set.of("state_out"), debug);
            if (bundle.tagger().isPresent()) {
                tagSession = openPruned(environment, bundle, model, options, StepGraph.encodingOutputs(bundle),
                        debug);
                decodeSession = openPruned(environment, bundle, model, options, Set.of("logits", "state_out"),
                        debug);
            }
            var d = bundle.manifest().dimensions();
            graph = new StepGraph(session, stateSession, tagSession, decodeSession, options, d.layers(), d.hidden(),
                    d.vocab());
            warmUp.run(graph);
            return graph;
        } catch (OrtException | RuntimeException e) {
            if (graph != null) {
                graph.close();
            } else {
                for (OrtSession pruned : new OrtSession[] {stateSession, tagSession, decodeSession}) {
                    if (pruned != null) {
                        pruned.close();
                    }
                }
                if (session != null) {
                    session.close();
                }
                options.close();
            }
            throw e;
        }
    }

    /**
     * A session of the graph pruned to {@code keep}, or null when the graph cannot be pruned so (the full graph
     * then serves those calls, only slower).
     */
    private static OrtSession openPruned(OrtEnvironment environment, ModelBundle bundle, byte[] model,
            OrtSession.SessionOptions options, Set<String> keep, Consumer<String> debug) {
        Optional<ByteBuffer> pruned;
        try {
            pruned = OnnxGraphPruner.keepOutputs(model, keep);
        } catch (IllegalArgumentException e) {
            debug.accept("The graph cannot be pruned to " + keep + ": " + e.getMessage());
            return null;
        }
        if (pruned.isEmpty()) {
            debug.accept("The graph has nothing to prune for " + keep + " (or holds subgraphs)");
            return null;
        }
        OrtSession session = null;
        try {
            session = environment.createSession(pruned.get(), options);
            StepGraph.checkPrunedSignature(session, bundle, keep);
            return session;
        } catch (OrtException | RuntimeException e) {
            debug.accept("The graph pruned to " + keep + " cannot be used: " + e.getMessage());
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException closing) {
                    e.addSuppressed(closing);
                }
            }
            return null;
        }
    }

    static OrtSession.SessionOptions options(ModelRuntimeConfig config) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(config.intraOpThreads());
            options.setInterOpNumThreads(config.interOpThreads());
            options.addConfigEntry(INTRA_OP_SPINNING, config.spinning() ? "1" : "0");
            options.addConfigEntry(INTER_OP_SPINNING, config.spinning() ? "1" : "0");
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setDeterministicCompute(true);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /** On Linux, says when there is no NVIDIA driver at all, the usual reason the CUDA provider cannot load. */
    private static String driverHint() {
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        if (linux && !Files.exists(Path.of("/proc/driver/nvidia/version"))) {
            return " (no NVIDIA driver on this machine: /proc/driver/nvidia/version does not exist; ONNX Runtime's "
                    + "log names the library it could not load)";
        }
        return "";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
