package io.wmstream.app.config;

import io.wmstream.topology.config.WmConfig;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/** Renders the configuration keys and the precedence rules for {@code --help}. */
public final class ConfigHelp {
    private ConfigHelp() {
    }

    /** How settings are found, for every command that takes them. */
    public static String precedence() {
        return """
                Settings (later sources win):
                  1. --config FILE          a Java properties file
                  2. environment            WM_BATCH_MAX_SIZE -> wm.batch.max.size,
                                            WM_KAFKA_BOOTSTRAP_SERVERS -> kafka.bootstrap.servers
                                            (drop WM_, lowercase, '_' -> '.', 'wm.' added unless it starts kafka.)
                  3. --set key=value        repeatable
                  4. dedicated options      e.g. --bootstrap-servers
                kafka.* keys go, prefix removed, to the Kafka clients and Kafka Streams (SASL/SSL settings too).
                """;
    }

    /** One line per wm.* key: name, default and meaning. */
    public static String keys() {
        List<ConfigDef.ConfigKey> keys = WmConfig.definition().configKeys().values().stream()
                .sorted(Comparator.comparing(k -> k.name)).toList();
        int width = keys.stream().mapToInt(k -> k.name.length()).max().orElse(10) + 2;
        StringBuilder text = new StringBuilder("Keys:\n");
        for (ConfigDef.ConfigKey key : keys) {
            text.append("  ").append(pad(key.name, width)).append(key.documentation)
                    .append(" [default: ").append(describeDefault(key.defaultValue)).append("]\n");
        }
        return text.toString();
    }

    private static String describeDefault(Object value) {
        if (value == null || value instanceof Password || "".equals(value)) {
            return "none";
        }
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }
}
