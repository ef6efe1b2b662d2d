package io.wmstream.topology.summary;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How likely a word is to be part of a fact the conversation states (a place, a day, a time, a price range, a
 * name), learned from conversations whose facts are known: for each word, the share of the utterances containing
 * it in which it belonged to one of the conversation's facts, smoothed toward the share over all words (the
 * default, used for words the lexicon has not seen). Summaries spend their word budget on the turns richest in
 * such words that the summary does not hold yet.
 *
 * <p>File format (UTF-8, one entry per line, tab-separated): {@code word<TAB>weight}, weights in [0, 1]; the line
 * {@code *<TAB>weight} gives the default; lines starting with {@code #} are comments (provenance). Words are
 * {@link #words(String)}: lowercased runs of letters and digits.
 */
public final class SalienceLexicon {
    /** The lexicon shipped with wmstream: learned from the MultiWOZ 2.1 {@code val} split (see its header). */
    public static final String DEFAULT_RESOURCE = "/io/wmstream/topology/summary/salience-lexicon.tsv";
    /** The key of the default weight's line. */
    public static final String DEFAULT_KEY = "*";

    private final Map<String, Double> weights;
    private final double defaultWeight;
    private final List<String> comments;

    public SalienceLexicon(Map<String, Double> weights, double defaultWeight, List<String> comments) {
        checkWeight(DEFAULT_KEY, defaultWeight);
        weights.forEach(SalienceLexicon::checkWeight);
        // A hash map for lookups (a summary looks up every word of every candidate turn); sorted only to write.
        this.weights = Collections.unmodifiableMap(new HashMap<>(weights));
        this.defaultWeight = defaultWeight;
        this.comments = List.copyOf(comments);
    }

    /** The lexicon on the classpath ({@link #DEFAULT_RESOURCE}). */
    public static SalienceLexicon defaultLexicon() {
        try (InputStream in = SalienceLexicon.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The default salience lexicon " + DEFAULT_RESOURCE
                        + " is not on the classpath");
            }
            return read(in, "classpath:" + DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the default salience lexicon " + DEFAULT_RESOURCE, e);
        }
    }

    /** Reads a lexicon file; {@link IllegalArgumentException} names the file and line of any fault. */
    public static SalienceLexicon load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Salience lexicon " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the salience lexicon " + file + ": " + e.getMessage(), e);
        }
    }

    static SalienceLexicon read(InputStream in, String source) throws IOException {
        Map<String, Double> weights = new TreeMap<>();
        List<String> comments = new ArrayList<>();
        Double defaultWeight = null;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                comments.add(line.substring(1).trim());
                continue;
            }
            String[] fields = line.split("\t", -1);
            if (fields.length != 2) {
                throw fault(source, number, "expected 'word<TAB>weight', found " + fields.length + " field(s)");
            }
            String word = fields[0];
            double weight;
            try {
                weight = Double.parseDouble(fields[1]);
            } catch (NumberFormatException e) {
                throw fault(source, number, "weight '" + fields[1] + "' is not a number");
            }
            if (!(weight >= 0.0 && weight <= 1.0)) {
                throw fault(source, number, "weight " + fields[1] + " is outside [0, 1]");
            }
            if (DEFAULT_KEY.equals(word)) {
                if (defaultWeight != null) {
                    throw fault(source, number, "a second default ('*') line");
                }
                defaultWeight = weight;
                continue;
            }
            if (!Set.of(word).equals(words(word))) {
                throw fault(source, number, "'" + word + "' is not one lowercase word of letters and digits");
            }
            if (weights.put(word, weight) != null) {
                throw fault(source, number, "'" + word + "' appears twice");
            }
        }
        if (defaultWeight == null) {
            throw new IllegalArgumentException("Salience lexicon " + source + " has no default ('*') line");
        }
        return new SalienceLexicon(weights, defaultWeight, comments);
    }

    private static IllegalArgumentException fault(String source, int line, String message) {
        return new IllegalArgumentException("Salience lexicon " + source + " line " + line + ": " + message);
    }

    private static void checkWeight(String word, double weight) {
        if (!(weight >= 0.0 && weight <= 1.0)) {
            throw new IllegalArgumentException("Salience weight of '" + word + "' is " + weight + ", not in [0, 1]");
        }
    }

    /** Writes the lexicon in the file format, words in code-unit order, weights with six decimals. */
    public void write(Writer out) throws IOException {
        for (String comment : comments) {
            out.write("# " + comment + "\n");
        }
        out.write(DEFAULT_KEY + "\t" + format(defaultWeight) + "\n");
        for (Map.Entry<String, Double> entry : new TreeMap<>(weights).entrySet()) {
            out.write(entry.getKey() + "\t" + format(entry.getValue()) + "\n");
        }
    }

    private static String format(double weight) {
        return String.format(Locale.ROOT, "%.6f", weight);
    }

    /** The weight of one word ({@link #words(String)} form); the default for a word not in the lexicon. */
    public double weight(String word) {
        return weights.getOrDefault(word, defaultWeight);
    }

    public double defaultWeight() {
        return defaultWeight;
    }

    public int size() {
        return weights.size();
    }

    /** The provenance lines of the file. */
    public List<String> comments() {
        return comments;
    }

    /**
     * The sum of the weights of {@code words} that are not in {@code known}, added in the set's iteration order
     * ({@link #words(String)} gives text order, so a sum never depends on hashing).
     */
    public double weightOfNew(Set<String> words, Set<String> known) {
        double sum = 0.0;
        for (String word : words) {
            if (!known.contains(word)) {
                sum += weight(word);
            }
        }
        return sum;
    }

    /** Lowercased runs of letters and digits, the words of the lexicon, distinct, in text order. */
    public static Set<String> words(String text) {
        Set<String> words = new LinkedHashSet<>();
        String lower = text.toLowerCase(Locale.ROOT);
        // A plain loop over code points: this runs for every remembered turn of every utterance.
        int start = -1;
        int i = 0;
        while (i < lower.length()) {
            int cp = lower.codePointAt(i);
            if (Character.isLetterOrDigit(cp)) {
                if (start < 0) {
                    start = i;
                }
            } else if (start >= 0) {
                words.add(lower.substring(start, i));
                start = -1;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            words.add(lower.substring(start));
        }
        return words;
    }
}
