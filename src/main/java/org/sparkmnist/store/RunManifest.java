package org.sparkmnist.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.sparkmnist.config.PlainName;

/**
 * {@code _SUCCESS} of a committed run: written last into the run, it says who committed it and what
 * it holds, so that a later run can tell its own work from anything else at the same path.
 *
 * <pre>
 * {"producer": "spark-mnist", "kind": "training", "run_id": "r1", "attempt": "attempt-1a2b3c4d", "committed": "2026-...Z",
 *  "files": {"summary.json": 1234, "mlp/model.zip": 7890123, ...},   (every file but _SUCCESS, with its length)
 *  "identity": {"train.epochs": "10", ...}}                            (what output.mode=resume compares)
 * </pre>
 *
 * <p>Runs committed by earlier versions of the job have an empty {@code _SUCCESS}. Such a run is taken
 * as this job's when its summary.json names the same run id and every entry in it is one of the names
 * those versions wrote (summary.json, report.html, _SUCCESS and model directories of
 * {@link #LEGACY_MODEL_FILES}, with Hadoop's {@code .name.crc} checksum files).
 */
public record RunManifest(RunKind kind, String runId, String attempt, SortedMap<String, Long> files, SortedMap<String, String> identity) {

    static final String SUCCESS = "_SUCCESS";
    static final String SUMMARY = "summary.json";
    static final String PRODUCER = "spark-mnist";
    static final Set<String> LEGACY_TOP_FILES = Set.of(SUMMARY, "report.html", SUCCESS);
    static final Set<String> LEGACY_MODEL_FILES = Set.of("model.zip", "metrics.csv", "accuracy.png", "loss.png", "confusion.csv",
            "classes.csv", "misclassified.csv", "misclassified-images-idx3-ubyte");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public RunManifest {
        files = new TreeMap<>(files);
        identity = new TreeMap<>(identity);
    }

    byte[] json() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("producer", PRODUCER);
        root.put("kind", kind.label());
        root.put("run_id", runId);
        root.put("attempt", attempt);
        root.put("committed", Instant.now().toString());
        ObjectNode listed = root.putObject("files");
        files.forEach(listed::put);
        ObjectNode id = root.putObject("identity");
        identity.forEach(id::put);
        return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The manifest in {@code bytes}; empty for anything that is not one of this job's (including an empty, legacy _SUCCESS). */
    static Optional<RunManifest> parse(byte[] bytes) {
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || !PRODUCER.equals(root.path("producer").asText()) || !root.path("files").isObject()) {
                return Optional.empty();
            }
            SortedMap<String, Long> files = new TreeMap<>();
            root.path("files").fields().forEachRemaining(e -> files.put(e.getKey(), e.getValue().asLong()));
            SortedMap<String, String> identity = new TreeMap<>();
            root.path("identity").fields().forEachRemaining(e -> identity.put(e.getKey(), e.getValue().asText()));
            // A manifest written before runs had kinds is a training run's: scoring came later.
            RunKind kind = root.has("kind") ? RunKind.ofLabel(root.path("kind").asText()).orElse(null) : RunKind.TRAINING;
            if (kind == null) {
                return Optional.empty();
            }
            return Optional.of(new RunManifest(kind, root.path("run_id").asText(), root.path("attempt").asText(), files, identity));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** What is at a run's path: nothing, a run this job committed (with its manifest unless legacy), or something else. */
    public record Existing(Path path, boolean present, Optional<RunManifest> manifest, String foreignBecause) {

        public boolean foreign() {
            return foreignBecause != null;
        }

        public boolean committed() {
            return present && !foreign();
        }

        /** The kind of the committed run here; a run committed before manifests existed is a training run. */
        public RunKind kind() {
            return manifest.map(RunManifest::kind).orElse(RunKind.TRAINING);
        }
    }

    /** Looks at {@code dir} (the path of run {@code runId}) and decides whose it is. */
    static Existing inspect(OutputFiles files, Path dir, String runId) throws IOException {
        // A symbolic link is not followed: one that dangles would otherwise look absent, and the commit's rename would refuse it.
        Optional<String> link = files.symlinkTarget(dir);
        if (link.isPresent()) {
            return foreign(dir, "it is a symbolic link to " + link.get());
        }
        FileStatus status;
        try {
            status = files.status(dir);
        } catch (FileNotFoundException absent) {
            return new Existing(dir, false, Optional.empty(), null);
        }
        if (!status.isDirectory()) {
            return foreign(dir, "it is a file");
        }
        byte[] success;
        try {
            success = files.read(new Path(dir, SUCCESS));
        } catch (FileNotFoundException e) {
            // Only the first entry is named, so a large directory of someone else's is not walked.
            FileStatus[] top = files.list(dir);
            String first = java.util.Arrays.stream(top).map(s -> s.getPath().getName() + (s.isDirectory() ? "/" : "")).sorted()
                    .findFirst().map(name -> "; first entry " + name).orElse(" and is empty");
            return foreign(dir, "it has no " + SUCCESS + first);
        }
        Optional<RunManifest> manifest = parse(success);
        if (manifest.isEmpty() && success.length > 0) {
            return foreign(dir, "its " + SUCCESS + " is not a manifest of " + PRODUCER);
        }
        if (manifest.isPresent() && !manifest.get().runId().equals(runId)) {
            return foreign(dir, "its " + SUCCESS + " names run " + manifest.get().runId());
        }
        Optional<String> summaryRunId = summaryRunId(files, new Path(dir, SUMMARY));
        if (summaryRunId.isEmpty()) {
            return foreign(dir, "it has no readable " + SUMMARY);
        }
        if (!summaryRunId.get().equals(runId)) {
            return foreign(dir, "its " + SUMMARY + " names run " + summaryRunId.get());
        }
        Optional<String> stranger = firstStranger(files, dir, "", manifest);
        if (stranger.isPresent()) {
            return foreign(dir, "it holds " + stranger.get() + ", which " + (manifest.isPresent() ? "its " + SUCCESS + " does not list"
                    : "no run of " + PRODUCER + " writes"));
        }
        return new Existing(dir, true, manifest, null);
    }

    /** Whether {@code dir} holds a complete run as {@code manifest} lists it: every file there with its length. */
    static boolean complete(OutputFiles files, Path dir, RunManifest manifest) throws IOException {
        for (Map.Entry<String, Long> file : manifest.files().entrySet()) {
            try {
                if (files.status(new Path(dir, file.getKey())).getLen() != file.getValue()) {
                    return false;
                }
            } catch (FileNotFoundException e) {
                return false;
            }
        }
        return true;
    }

    /** Every file below {@code dir} with its length, as relative paths. */
    static SortedMap<String, Long> filesBelow(OutputFiles files, Path dir) throws IOException {
        SortedMap<String, Long> found = new TreeMap<>();
        collect(files, dir, "", found);
        return found;
    }

    private static void collect(OutputFiles files, Path dir, String prefix, SortedMap<String, Long> into) throws IOException {
        for (FileStatus child : files.list(dir)) {
            String name = prefix + child.getPath().getName();
            if (child.isDirectory()) {
                collect(files, child.getPath(), name + "/", into);
            } else {
                into.put(name, child.getLen());
            }
        }
    }

    private static boolean listedIn(RunManifest manifest, String entry) {
        if (entry.equals(SUCCESS)) {
            return true;
        }
        if (entry.endsWith("/")) {
            return manifest.files().keySet().stream().anyMatch(f -> f.startsWith(entry));
        }
        return manifest.files().containsKey(entry);
    }

    private static boolean legacyName(String entry) {
        String[] parts = entry.split("/", -1);
        if (parts.length == 1) {
            return LEGACY_TOP_FILES.contains(withoutCrc(parts[0]));
        }
        if (parts.length == 2 && parts[1].isEmpty()) {
            return PlainName.problem(parts[0]).isEmpty();
        }
        return parts.length == 2 && PlainName.problem(parts[0]).isEmpty() && LEGACY_MODEL_FILES.contains(withoutCrc(parts[1]));
    }

    /** "name" for Hadoop's checksum file ".name.crc" of a file "name"; anything else as it is (".crc" names no file). */
    static String withoutCrc(String name) {
        boolean checksum = name.length() >= ".x.crc".length() && name.startsWith(".") && name.endsWith(".crc");
        return checksum ? name.substring(1, name.length() - ".crc".length()) : name;
    }

    private static Optional<String> summaryRunId(OutputFiles files, Path summary) throws IOException {
        try {
            JsonNode root = JSON.readTree(files.read(summary));
            return root != null && root.path("run_id").isTextual() ? Optional.of(root.path("run_id").asText()) : Optional.empty();
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            return Optional.empty();
        }
    }

    /** The first entry below {@code dir}, in sorted order, that a run of this job would not hold; directories end in '/'. */
    private static Optional<String> firstStranger(OutputFiles files, Path dir, String prefix, Optional<RunManifest> manifest)
            throws IOException {
        List<FileStatus> children = new ArrayList<>(List.of(files.list(dir)));
        children.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        for (FileStatus child : children) {
            String name = prefix + child.getPath().getName() + (child.isDirectory() ? "/" : "");
            boolean ours = manifest.map(m -> listedIn(m, name)).orElseGet(() -> legacyName(name));
            if (!ours) {
                return Optional.of(name);
            }
            if (child.isDirectory()) {
                Optional<String> below = firstStranger(files, child.getPath(), name, manifest);
                if (below.isPresent()) {
                    return below;
                }
            }
        }
        return Optional.empty();
    }

    private static Existing foreign(Path dir, String because) {
        return new Existing(dir, true, Optional.empty(), because);
    }
}
