package io.wmstream.model.bundle;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The parts of a bundle's {@code manifest.json} the runtime relies on (DESIGN 4.6). */
public record BundleManifest(int formatVersion, String name, String version, Dimensions dimensions, Graph graph,
        TokenizerRef tokenizer, Decoding decoding, String goldenFile, Map<String, FileEntry> files,
        Optional<Tagger> tagger, Optional<StateHeads> state) {

    /** The format of model 1.x bundles: next-token logits and the state. */
    public static final int FORMAT_VERSION = 1;
    /** The format of model 2.x bundles: format 1 plus an optional fact tagger. */
    public static final int TAGGER_FORMAT_VERSION = 2;
    /** The format of model 3.x bundles: format 2 plus optional dialogue-state heads. */
    public static final int STATE_FORMAT_VERSION = 3;
    /** Every format version this runtime reads. */
    public static final List<Integer> FORMAT_VERSIONS = List.of(FORMAT_VERSION, TAGGER_FORMAT_VERSION,
            STATE_FORMAT_VERSION);

    public BundleManifest {
        files = Map.copyOf(files);
        Objects.requireNonNull(tagger, "tagger");
        Objects.requireNonNull(state, "state");
    }

    /** Model dimensions. */
    public record Dimensions(int vocab, int embedding, int hidden, int layers) {
    }

    /** The step graph: its file, opset and named, typed inputs and outputs. */
    public record Graph(String file, int opset, List<TensorSpec> inputs, List<TensorSpec> outputs) {
        public Graph {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }
    }

    /**
     * One graph input or output. Each shape entry is a fixed size ({@link Long}) or a symbolic name
     * ({@link String}, e.g. {@code "batch"}).
     */
    public record TensorSpec(String name, String dtype, List<Object> shape) {
        public TensorSpec {
            shape = List.copyOf(shape);
        }
    }

    /** What the manifest says about the tokenizer; checked against the tokenizer file itself. */
    public record TokenizerRef(String file, String spec, int vocabSize, Map<String, Integer> specialTokens,
            Map<String, Integer> roleTokens, Map<String, String> speakerAliases, String defaultRole) {
        public TokenizerRef {
            specialTokens = Map.copyOf(specialTokens);
            roleTokens = Map.copyOf(roleTokens);
            speakerAliases = Map.copyOf(speakerAliases);
        }
    }

    /** Decoding defaults: the token fed first, the one that ends a reply, the ids never generated. */
    public record Decoding(String strategy, int maxTokens, int startToken, int stopToken,
            List<Integer> suppressTokens) {
        public Decoding {
            suppressTokens = List.copyOf(suppressTokens);
        }
    }

    /** A file's checksum and size. */
    public record FileEntry(String sha256, long bytes) {
    }

    /**
     * The fact tagger: the graph output holding per-token class scores [batch, time, classes], the class names
     * (class 0 is "none", the others are placeholder types), and how many following tokens a tag looks at.
     */
    public record Tagger(String output, List<String> classes, int lookahead, String rule) {
        /** The class of tokens that are no fact. */
        public static final String NONE = "none";

        public Tagger {
            Objects.requireNonNull(output, "output");
            classes = List.copyOf(classes);
            Objects.requireNonNull(rule, "rule");
        }

        /** The placeholder token of each class but "none", in class order: "[" + class + "]". */
        public List<String> placeholders() {
            return classes.stream().skip(1).map(c -> "[" + c + "]").toList();
        }
    }

    /**
     * The dialogue-state heads (format 3, with a tagger): {@code slotsOutput} holds per token [batch, time, K + 1]
     * scores, the K state slots' logits for a value ending at that token and the logit that it enters the state;
     * {@code updatesOutput} holds per row [batch, 2K + R] logits: accepting the system's offer for each slot, dropping
     * each slot, and each request type. {@code slots} are the slot names ("restaurant.time", "taxi.place.from"),
     * each {@code domain.type[.role]} with its type a tagger class; {@code requestTypes} the attribute types a user
     * can ask for.
     */
    public record StateHeads(String slotsOutput, String updatesOutput, List<String> slots, List<String> requestTypes,
            String rule) {
        public StateHeads {
            Objects.requireNonNull(slotsOutput, "slotsOutput");
            Objects.requireNonNull(updatesOutput, "updatesOutput");
            slots = List.copyOf(slots);
            requestTypes = List.copyOf(requestTypes);
            Objects.requireNonNull(rule, "rule");
        }

        /** The placeholder type of a slot: its second part ("taxi.place.from" is a "place"). */
        public static String typeOf(String slot) {
            int first = slot.indexOf('.');
            int second = slot.indexOf('.', first + 1);
            return second < 0 ? slot.substring(first + 1) : slot.substring(first + 1, second);
        }

        /** Width of the per-token output: the slots and the "enters" logit. */
        public int slotScores() {
            return slots.size() + 1;
        }

        /** Width of the per-row output: accept and drop per slot, then the request types. */
        public int updateScores() {
            return 2 * slots.size() + requestTypes.size();
        }
    }
}
