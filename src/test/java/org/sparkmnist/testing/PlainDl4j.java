package org.sparkmnist.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A JVM that has DL4J and nothing else: the class path a program declaring only
 * {@code org.deeplearning4j:deeplearning4j-core} and {@code org.nd4j:nd4j-native} gets, as their POMs
 * declare it (compile and runtime dependencies, followed through every POM and its parents), with this
 * platform's native jars and the versions this build resolved. Neither this project's classes nor any
 * other library of the project (Spark, Hadoop, Typesafe Config ...) is on it.
 */
public final class PlainDl4j {

    /** The program, outside the test sources: Maven never compiles it beside the project's classes. */
    public static final Path SCORER = Scripts.REPO.resolve("src/test/plain-dl4j/ScoreWithPlainDl4j.java");
    /** What a user's program declares. */
    private static final List<String> DECLARED = List.of("org.deeplearning4j:deeplearning4j-core", "org.nd4j:nd4j-native");
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{[^}]+}");

    private PlainDl4j() {
    }

    /**
     * Runs a single-file program ({@code java Program.java ARGS}: compiled in memory against the class path,
     * then run) with DL4J's jars alone, as a user would run it: plain {@code java}, not the project's
     * launcher, with no option but JavaCPP's native-library cache (the one under target/ every JVM of
     * the build shares). The environment is this JVM's, so OpenBLAS picks the same kernels as the job did here.
     */
    public static Scripts.Result run(Path program, List<String> args, Path log, Duration timeout) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.bytedeco.javacpp.cachedir=" + Scripts.REPO.resolve("target/javacpp-cache"),
                "-cp", String.join(java.io.File.pathSeparator, classpath().stream().map(Path::toString).toList()),
                program.toString()));
        command.addAll(args);
        return Scripts.run(command, Map.of(), log, timeout);
    }

    /** The jars, from the local Maven repository this test JVM's class path comes from. */
    public static List<Path> classpath() {
        Path nnJar = jarOf(MultiLayerNetwork.class);
        // <repository>/org/deeplearning4j/deeplearning4j-nn/<version>/<jar>
        Path repository = nnJar.getParent().getParent().getParent().getParent().getParent();
        Map<String, List<Path>> jars = jarsByArtifact(repository);
        List<Path> classpath = new ArrayList<>();
        Set<String> seen = new HashSet<>(DECLARED);
        // Breadth first, as Maven takes the nearest declaration; each carries the exclusions of the path that led to it.
        Deque<Dependency> pending = new ArrayDeque<>();
        DECLARED.forEach(artifact -> pending.add(new Dependency(artifact, Set.of())));
        while (!pending.isEmpty()) {
            Dependency next = pending.pop();
            List<Path> found = jars.get(next.artifact());
            if (found == null) {
                // Not resolved by this build: pom.xml excludes datavec-data-image and deeplearning4j-modelimport, which no model needs.
                continue;
            }
            classpath.addAll(found);
            for (Dependency dependency : dependencies(repository, pom(found.get(0)))) {
                if (!next.excludes().contains(dependency.artifact()) && seen.add(dependency.artifact())) {
                    Set<String> excludes = new HashSet<>(next.excludes());
                    excludes.addAll(dependency.excludes());
                    pending.add(new Dependency(dependency.artifact(), excludes));
                }
            }
        }
        return classpath;
    }

    /** A "groupId:artifactId" to put on the class path, without what its declarations exclude below it. */
    private record Dependency(String artifact, Set<String> excludes) {
    }

    private static Path jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The jars of this JVM's class path, by "groupId:artifactId", each artifact's jar without a classifier
     * and the one for this platform (nd4j-native's linux-x86_64, not its -avx512 build a user would have to ask for).
     */
    private static Map<String, List<Path>> jarsByArtifact(Path repository) {
        String platform = Loader.getPlatform();
        Map<String, List<Path>> jars = new LinkedHashMap<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry).toAbsolutePath();
            if (!entry.endsWith(".jar") || !jar.startsWith(repository)) {
                continue;
            }
            Path versionDir = jar.getParent();
            Path artifactDir = versionDir.getParent();
            String base = artifactDir.getFileName() + "-" + versionDir.getFileName();
            String name = jar.getFileName().toString();
            String classifier = name.equals(base + ".jar") ? "" : name.substring(base.length() + 1, name.length() - ".jar".length());
            if (classifier.isEmpty() || classifier.equals(platform)) {
                String group = String.join(".", java.util.stream.StreamSupport.stream(
                        repository.relativize(artifactDir.getParent()).spliterator(), false).map(Path::toString).toList());
                jars.computeIfAbsent(group + ":" + artifactDir.getFileName(), k -> new ArrayList<>()).add(jar);
            }
        }
        return jars;
    }

    private static Path pom(Path jar) {
        return jar.resolveSibling(jar.getParent().getParent().getFileName() + "-" + jar.getParent().getFileName() + ".pom");
    }

    /**
     * What {@code pom} and its parents need at run time: not test, provided or optional dependencies. One
     * without a scope takes the one its POMs' dependencyManagement gives it, the nearest first, as Maven
     * does (DL4J's parent POM lists JUnit among its dependencies and makes it test-scoped there).
     */
    private static List<Dependency> dependencies(Path repository, Path pom) {
        List<Element> declared = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        Map<String, String> managedScopes = new HashMap<>();
        for (Path file = pom; file != null; file = parent(repository, file)) {
            Element project = parse(file).getDocumentElement();
            String group = text(project, "groupId", text(child(project, "parent"), "groupId", ""));
            for (Element dependency : children(child(project, "dependencies"), "dependency")) {
                declared.add(dependency);
                groups.add(group);
            }
            for (Element managed : children(child(child(project, "dependencyManagement"), "dependencies"), "dependency")) {
                if (child(managed, "scope") != null) {
                    managedScopes.putIfAbsent(artifact(managed, group), text(managed, "scope", ""));
                }
            }
        }
        List<Dependency> dependencies = new ArrayList<>();
        for (int i = 0; i < declared.size(); i++) {
            Element dependency = declared.get(i);
            String artifact = artifact(dependency, groups.get(i));
            String scope = text(dependency, "scope", managedScopes.getOrDefault(artifact, "compile"));
            boolean runtime = scope.equals("compile") || scope.equals("runtime");
            if (runtime && !text(dependency, "optional", "false").equals("true") && !PROPERTY.matcher(artifact).find()) {
                Set<String> excludes = new HashSet<>();
                for (Element exclusion : children(child(dependency, "exclusions"), "exclusion")) {
                    excludes.add(artifact(exclusion, groups.get(i)));
                }
                dependencies.add(new Dependency(artifact, excludes));
            }
        }
        return dependencies;
    }

    /** A dependency's or exclusion's "groupId:artifactId", in a POM whose own group is {@code group}. */
    private static String artifact(Element dependency, String group) {
        return text(dependency, "groupId", "").replace("${project.groupId}", group) + ":" + text(dependency, "artifactId", "");
    }

    private static Path parent(Path repository, Path pom) {
        Element parent = child(parse(pom).getDocumentElement(), "parent");
        if (parent == null) {
            return null;
        }
        Path file = repository.resolve(text(parent, "groupId", "").replace('.', '/')).resolve(text(parent, "artifactId", ""))
                .resolve(text(parent, "version", "")).resolve(text(parent, "artifactId", "") + "-" + text(parent, "version", "") + ".pom");
        return Files.isRegularFile(file) ? file : null;
    }

    private static Document parse(Path pom) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + pom, e);
        }
    }

    private static Element child(Element element, String name) {
        List<Element> found = children(element, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element element, String name) {
        List<Element> found = new ArrayList<>();
        if (element != null) {
            for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element child && child.getTagName().equals(name)) {
                    found.add(child);
                }
            }
        }
        return found;
    }

    private static String text(Element element, String name, String otherwise) {
        Element child = child(element, name);
        return child == null ? otherwise : child.getTextContent().trim();
    }
}
