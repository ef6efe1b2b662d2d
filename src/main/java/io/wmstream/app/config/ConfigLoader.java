package io.wmstream.app.config;

import io.wmstream.app.cli.Args;
import io.wmstream.app.cli.UsageException;
import io.wmstream.topology.config.WmConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.ConfigException;

/**
 * Loads wmstream settings (DESIGN 4.8) from, in order, a properties file, environment variables and
 * {@code --set key=value} options; a later source wins over an earlier one for the same key.
 *
 * <p>Environment variables: only names starting with {@code WM_} are read. The name loses {@code WM_}, is lowercased
 * and every {@code _} becomes {@code .}; if the result starts with {@code kafka.} it is a Kafka pass-through key,
 * otherwise {@code wm.} is put in front. So {@code WM_BATCH_MAX_SIZE} is {@code wm.batch.max.size} and
 * {@code WM_KAFKA_BOOTSTRAP_SERVERS} is {@code kafka.bootstrap.servers}. Keys that contain an underscore or a dash
 * cannot be given this way; use the file or {@code --set} for those.
 *
 * <p>Every key must be a wmstream key or start with {@code kafka.}; anything else is refused with the key and where
 * it came from, so a misspelt setting never silently does nothing.
 */
public final class ConfigLoader {
    /** Prefix of the environment variables that carry settings. */
    public static final String ENV_PREFIX = "WM_";

    private final Map<String, String> environment;

    public ConfigLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The setting an environment variable carries, or null when the variable is not a wmstream one. */
    public static String keyOfEnvironmentVariable(String name) {
        if (!name.startsWith(ENV_PREFIX) || name.length() == ENV_PREFIX.length()) {
            return null;
        }
        String dotted = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
        return dotted.startsWith(WmConfig.KAFKA_PREFIX) ? dotted : "wm." + dotted;
    }

    /**
     * Loads the settings a command line gives through the common options: {@code --config FILE}, {@code --set}
     * (repeatable) and {@code --bootstrap-servers} (as {@code kafka.bootstrap.servers}), then {@code overrides}.
     */
    public WmConfig load(Args args, Map<String, String> overrides) throws UsageException {
        return load(args, Map.of(), overrides);
    }

    /**
     * As {@link #load(Args, Map)}, with a command's own {@code defaults} below every source: a command that runs
     * differently from the service (an offline replay) changes a default without taking a choice from the user.
     */
    public WmConfig load(Args args, Map<String, String> defaults, Map<String, String> overrides)
            throws UsageException {
        Map<String, String> all = new LinkedHashMap<>();
        args.value("--bootstrap-servers").ifPresent(servers -> all.put(
                WmConfig.KAFKA_PREFIX + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers));
        all.putAll(overrides);
        return validated(merge(defaults, args.value("--config").map(Path::of).orElse(null), args.values("--set"),
                all));
    }

    /**
     * Merges the sources into one validated configuration.
     *
     * @param file the {@code --config} file, or null
     * @param sets the {@code --set key=value} options, in order
     * @param overrides settings given by dedicated options such as {@code --bootstrap-servers}; they win over all
     */
    public WmConfig load(Path file, List<String> sets, Map<String, String> overrides) throws UsageException {
        return validated(merge(file, sets, overrides));
    }

    private static WmConfig validated(Map<String, String> merged) throws UsageException {
        try {
            return new WmConfig(merged);
        } catch (ConfigException e) {
            throw new UsageException("invalid configuration: " + e.getMessage());
        }
    }

    /** The merged settings, checked for unknown keys but not yet validated. */
    public Map<String, String> merge(Path file, List<String> sets, Map<String, String> overrides)
            throws UsageException {
        return merge(Map.of(), file, sets, overrides);
    }

    private Map<String, String> merge(Map<String, String> defaults, Path file, List<String> sets,
            Map<String, String> overrides) throws UsageException {
        Map<String, String> merged = new LinkedHashMap<>(defaults);
        if (file != null) {
            readFile(file).forEach((key, value) -> merged.put(key, value));
        }
        // Sorted so that an error about several unknown variables always names the same one first.
        for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
            String key = keyOfEnvironmentVariable(variable.getKey());
            if (key != null) {
                requireKnown(key, "environment variable " + variable.getKey());
                merged.put(key, variable.getValue());
            }
        }
        for (String set : sets) {
            int equals = set.indexOf('=');
            if (equals <= 0) {
                throw new UsageException("--set expects key=value, got '" + set + "'");
            }
            String key = set.substring(0, equals).trim();
            requireKnown(key, "--set");
            merged.put(key, set.substring(equals + 1));
        }
        overrides.forEach(merged::put);
        return merged;
    }

    private static Map<String, String> readFile(Path file) throws UsageException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new UsageException("configuration file not found: " + file);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("cannot read configuration file " + file + ": " + e.getMessage());
        }
        Map<String, String> settings = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            requireKnown(key, file.toString());
            settings.put(key, properties.getProperty(key).trim());
        }
        return settings;
    }

    private static void requireKnown(String key, String source) throws UsageException {
        if (!WmConfig.isKnownKey(key)) {
            String hint = key.startsWith("wm.") ? "see 'wmstream run --help' for the keys"
                    : "settings start with wm. (wmstream) or kafka. (passed to Kafka)";
            throw new UsageException("unknown setting '" + key + "' (from " + source + "); " + hint);
        }
    }
}
