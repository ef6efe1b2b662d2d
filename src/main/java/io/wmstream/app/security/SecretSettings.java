package io.wmstream.app.security;

import io.wmstream.topology.config.WmConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.types.Password;

/**
 * Which settings are secrets, and a scrubber that takes their values out of a line of text. Kafka hides its own
 * password-typed settings in its logs; this is the last guard for the lines wmstream writes itself, which may quote
 * an exception message that quotes a value.
 */
public final class SecretSettings {
    /** What a hidden value is shown as, as in Kafka's own configuration dumps. */
    public static final String HIDDEN = "[hidden]";

    // Shorter values are not scrubbed: replacing "a" everywhere would destroy the message and protect nothing.
    private static final int SHORTEST_SCRUBBED = 4;

    /** A password inside a JAAS configuration, e.g. {@code password="..."}: error messages may quote it alone. */
    private static final Pattern JAAS_PASSWORD = Pattern.compile("password\\s*=\\s*\"([^\"]*)\"");

    private final List<String> values;

    private SecretSettings(List<String> values) {
        this.values = values;
    }

    /** True for keys whose values must never be shown: passwords, JAAS configurations, tokens, secrets. */
    public static boolean isSecret(String key) {
        String name = key.toLowerCase(Locale.ROOT);
        return name.contains("password") || name.contains("jaas") || name.contains("secret")
                || name.endsWith(".token") || name.endsWith("token.value") || name.contains("credential");
    }

    /** The secret values of {@code config}: its wm.* passwords and the kafka.* settings {@link #isSecret} names. */
    public static SecretSettings of(WmConfig config) {
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, Object> setting : config.originals().entrySet()) {
            Object value = setting.getValue();
            if (value instanceof Password password) {
                value = password.value();
            }
            if (value != null && isSecret(setting.getKey())) {
                found.add(value.toString());
                Matcher inner = JAAS_PASSWORD.matcher(value.toString());
                while (inner.find()) {
                    found.add(inner.group(1));
                }
            }
        }
        for (String key : WmConfig.definition().names()) {
            Object value = config.values().get(key);
            if (value instanceof Password password) {
                found.add(password.value());
            }
        }
        // The longest first, so that a secret containing another is hidden whole.
        List<String> values = found.stream().filter(v -> v.length() >= SHORTEST_SCRUBBED).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        return new SecretSettings(values);
    }

    /** {@code text} with every secret value replaced by {@value #HIDDEN}. */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String scrubbed = text;
        for (String value : values) {
            scrubbed = scrubbed.replace(value, HIDDEN);
        }
        return scrubbed;
    }
}
