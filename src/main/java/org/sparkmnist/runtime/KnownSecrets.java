package org.sparkmnist.runtime;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.Serializable;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The secrets a job knows of, and text with all of them masked: one rule for everything a run puts
 * in front of people, the console's lines, the text files of a run and the rows its executors write.
 *
 * <p>A secret is searched for in every form the job's outputs give it: as it is, JSON-escaped
 * (summary.json, the manifest), HTML-escaped as report.html escapes its text (and the JSON in it),
 * and quoted as a CSV field; a secret of several lines (a PEM key) also line by line, since a
 * console prints one line at a time and JSON shows a line break as {@code \n}. Forms are replaced
 * longest first, so a secret inside a longer one leaves nothing behind; then the user-info of every
 * URI is masked ({@link SecretMasking#maskUriUserInfo}), known or not. Forms shorter than
 * {@link SecretMasking#SHORTEST_SEARCHED} are not searched for: they would mask ordinary words.
 *
 * <p>This JVM's secrets ({@link #thisJvm}) are learned as the job finds them ({@link #learn}): the
 * arguments, environment and system properties first thing in main, the merged config once it is
 * read. A value of this class is immutable and serializable, so that a task masks the rows it
 * makes on an executor with the driver's secrets.
 */
public final class KnownSecrets implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final KnownSecrets NONE = new KnownSecrets(Set.of());

    private static volatile KnownSecrets thisJvm = NONE;

    private final Set<String> secrets;
    /** Every form of every secret, longest first. */
    private final List<String> forms;

    private KnownSecrets(Set<String> secrets) {
        this.secrets = Set.copyOf(secrets);
        Set<String> all = new HashSet<>();
        this.secrets.forEach(secret -> all.addAll(formsOf(secret)));
        this.forms = all.stream().filter(form -> form.length() >= SecretMasking.SHORTEST_SEARCHED && !form.equals(SecretMasking.MASK))
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder())).toList();
    }

    public static KnownSecrets of(Collection<String> secrets) {
        return new KnownSecrets(new HashSet<>(secrets));
    }

    /** These secrets and {@code more}. */
    public KnownSecrets with(Collection<String> more) {
        Set<String> all = new HashSet<>(secrets);
        all.addAll(more);
        return all.size() == secrets.size() ? this : new KnownSecrets(all);
    }

    /** The secrets this JVM has learned so far. */
    public static KnownSecrets thisJvm() {
        return thisJvm;
    }

    /** Adds {@code found} to this JVM's secrets: every later line, file and row is masked with them too. */
    public static synchronized void learn(Collection<String> found) {
        thisJvm = thisJvm.with(found);
    }

    /** {@code text} with every form of every secret, and the user-info of every URI, replaced by {@link SecretMasking#MASK}. */
    public String mask(String text) {
        String masked = text;
        for (String form : forms) {
            masked = masked.replace(form, SecretMasking.MASK);
        }
        return SecretMasking.maskUriUserInfo(masked);
    }

    /** The secret, its lines when it has several, and each of those as JSON, HTML and a CSV field write it. */
    private static Set<String> formsOf(String secret) {
        Set<String> pieces = new HashSet<>();
        pieces.add(secret);
        String[] lines = secret.split("\\R");
        if (lines.length > 1) {
            for (String line : lines) {
                pieces.add(line.strip());
            }
        }
        Set<String> forms = new HashSet<>();
        for (String piece : pieces) {
            String json = new String(JsonStringEncoder.getInstance().quoteAsString(piece));
            forms.addAll(List.of(piece, json, html(piece), html(json), piece.replace("\"", "\"\"")));
        }
        return forms;
    }

    /** As report.html escapes text (HtmlReport.escape). */
    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
