package io.wmstream.app.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parsed command-line options of one command: {@code --name value}, {@code --name=value}, flags, and repeatable
 * options. Anything not declared is a {@link UsageException}, so a typo never silently changes nothing.
 */
public final class Args {
    private final Map<String, List<String>> values;
    private final List<String> positionals;

    private Args(Map<String, List<String>> values, List<String> positionals) {
        this.values = values;
        this.positionals = positionals;
    }

    /** Declares which options a command accepts. */
    public static Spec spec() {
        return new Spec();
    }

    public boolean flag(String name) {
        return values.containsKey(name);
    }

    /** The value of a single-valued option. */
    public Optional<String> value(String name) {
        List<String> all = values.getOrDefault(name, List.of());
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Every value of a repeatable option, in order. */
    public List<String> values(String name) {
        return Collections.unmodifiableList(values.getOrDefault(name, List.of()));
    }

    public List<String> positionals() {
        return Collections.unmodifiableList(positionals);
    }

    /** An integer option within bounds. */
    public Optional<Integer> intValue(String name, int min, int max) throws UsageException {
        Optional<String> raw = value(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            int parsed = Integer.parseInt(raw.get().trim());
            if (parsed < min || parsed > max) {
                throw new UsageException(name + " must be between " + min + " and " + max + ", got " + parsed);
            }
            return Optional.of(parsed);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects a whole number, got '" + raw.get() + "'");
        }
    }

    /** The accepted options of a command. */
    public static final class Spec {
        private final Set<String> flags = new HashSet<>();
        private final Set<String> single = new HashSet<>();
        private final Set<String> repeatable = new HashSet<>();
        private int maxPositionals;
        private String positionalName = "argument";

        private Spec() {
        }

        public Spec flag(String name) {
            flags.add(name);
            return this;
        }

        public Spec option(String name) {
            single.add(name);
            return this;
        }

        public Spec repeatable(String name) {
            repeatable.add(name);
            return this;
        }

        public Spec positionals(int max, String name) {
            this.maxPositionals = max;
            this.positionalName = name;
            return this;
        }

        /** Parses {@code argv}; {@code --help} and {@code -h} are always accepted as the flag {@code --help}. */
        public Args parse(List<String> argv) throws UsageException {
            Map<String, List<String>> values = new LinkedHashMap<>();
            List<String> positionals = new ArrayList<>();
            boolean onlyPositionals = false;
            for (int i = 0; i < argv.size(); i++) {
                String arg = argv.get(i);
                if (onlyPositionals || !arg.startsWith("-") || "-".equals(arg)) {
                    positionals.add(arg);
                    continue;
                }
                if ("--".equals(arg)) {
                    onlyPositionals = true;
                    continue;
                }
                if ("-h".equals(arg) || "--help".equals(arg)) {
                    values.put("--help", List.of());
                    continue;
                }
                int equals = arg.indexOf('=');
                String name = equals > 0 ? arg.substring(0, equals) : arg;
                if (flags.contains(name)) {
                    if (equals > 0) {
                        throw new UsageException(name + " takes no value");
                    }
                    values.put(name, List.of());
                } else if (single.contains(name) || repeatable.contains(name)) {
                    String value;
                    if (equals > 0) {
                        value = arg.substring(equals + 1);
                    } else if (i + 1 < argv.size()) {
                        value = argv.get(++i);
                    } else {
                        throw new UsageException(name + " needs a value");
                    }
                    values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                } else {
                    throw new UsageException("unknown option " + name);
                }
            }
            if (!values.containsKey("--help") && positionals.size() > maxPositionals) {
                throw new UsageException(maxPositionals == 0 ? "unexpected argument '" + positionals.get(0) + "'"
                        : "too many arguments: expected at most " + maxPositionals + " " + positionalName);
            }
            return new Args(values, positionals);
        }
    }
}
