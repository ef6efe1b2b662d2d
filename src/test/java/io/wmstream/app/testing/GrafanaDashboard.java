package io.wmstream.app.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads ops/grafana/wmstream-dashboard.json for tests. */
public final class GrafanaDashboard {
    /** Metric names in PromQL: the families wmstream exports. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:kafka|jvm|process)_[a-z0-9_]+)\\b");

    private GrafanaDashboard() {
    }

    /** Every metric name the dashboard queries. */
    public static Set<String> metricNames(Path root) throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(
                Files.readString(root.resolve("ops/grafana/wmstream-dashboard.json")));
        Set<String> names = new TreeSet<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher matcher = METRIC.matcher(expr.asText());
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }
}
