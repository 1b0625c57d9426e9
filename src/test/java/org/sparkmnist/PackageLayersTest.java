package org.sparkmnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped code's packages stand in layers, and each imports only layers below its own: the two
 * entry points (job, scoring) at the top, side by side and blind to each other, the runtime they both
 * stand on at the bottom. A package not placed here fails the test until someone decides its floor.
 */
class PackageLayersTest {

    /** Bottom to top; the packages of one floor may not import each other. A package's sub-packages share its floor. */
    private static final List<Set<String>> LAYERS = List.of(
            Set.of(""),
            Set.of("runtime"),
            Set.of("model"),
            Set.of("config"),
            Set.of("data"),
            Set.of("staging"),
            Set.of("training"),
            Set.of("store"),
            Set.of("output"),
            Set.of("job", "scoring"));

    private static final Path MAIN_SOURCES = Path.of("src/main/java");

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    /** A qualified name of the project's (imported, or written out in the code): its package is the lower-case part. */
    private static final Pattern PROJECT_NAME = Pattern.compile("\\borg\\.sparkmnist((?:\\.[a-z]\\w*)*)\\.[A-Z]");
    /** Comments, text blocks, string and character literals: names in them are not dependencies. */
    private static final Pattern NOT_CODE = Pattern.compile(
            "/\\*.*?\\*/|//[^\\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\])+'", Pattern.DOTALL);

    @Test
    void noPackageOfTheShippedCodeImportsItsOwnFloorOrAnyAboveIt() {
        Map<String, Set<String>> imports = importsOf(MAIN_SOURCES);
        assertTrue(imports.keySet().containsAll(List.of("job", "scoring", "runtime")), "read " + imports.keySet());
        assertEquals(List.of(), violations(imports));
    }

    @Test
    void anImportUpTheLayersIsReported() {
        Map<String, Set<String>> imports = Map.of(
                "config", importsIn("package org.sparkmnist.config;\nimport org.sparkmnist.scoring.Inversion;\n"));
        assertEquals(List.of("config imports scoring"), violations(imports));
    }

    @Test
    void anImportBetweenTheTwoEntryPointsIsReported() {
        Map<String, Set<String>> imports = Map.of(
                "scoring", importsIn("package org.sparkmnist.scoring;\nclass A { org.sparkmnist.job.JobExit exit; }\n"));
        assertEquals(List.of("scoring imports job"), violations(imports));
    }

    @Test
    void aNameInACommentOrStringIsNoImport() {
        assertEquals(Set.of(), importsIn("package org.sparkmnist.config;\n/** See {@link org.sparkmnist.job.MnistTrainingJob}. */\n"
                + "class A { String main = \"org.sparkmnist.scoring.MnistScoringJob\"; // org.sparkmnist.store.RunStore\n}\n"));
    }

    @Test
    void aPackageWithoutAFloorIsReported() {
        assertEquals(List.of("misc has no floor in PackageLayersTest.LAYERS"), violations(Map.of("misc", Set.of())));
    }

    /** Each "X imports Y" that breaks the layering, and each package that has no floor. */
    private static List<String> violations(Map<String, Set<String>> imports) {
        List<String> found = new ArrayList<>();
        new TreeMap<>(imports).forEach((pkg, targets) -> {
            Optional<Integer> floor = floorOf(pkg);
            if (floor.isEmpty()) {
                found.add(pkg + " has no floor in PackageLayersTest.LAYERS");
                return;
            }
            for (String target : new TreeSet<>(targets)) {
                boolean samePackage = topLevel(target).equals(topLevel(pkg));
                if (!samePackage && floorOf(target).map(f -> f >= floor.get()).orElse(true)) {
                    found.add((pkg.isEmpty() ? "(root)" : pkg) + " imports " + target);
                }
            }
        });
        return found;
    }

    private static Optional<Integer> floorOf(String pkg) {
        for (int floor = 0; floor < LAYERS.size(); floor++) {
            if (LAYERS.get(floor).contains(topLevel(pkg))) {
                return Optional.of(floor);
            }
        }
        return Optional.empty();
    }

    private static String topLevel(String pkg) {
        int dot = pkg.indexOf('.');
        return dot < 0 ? pkg : pkg.substring(0, dot);
    }

    /** Package (relative to org.sparkmnist) -> the project's packages its sources use. */
    private static Map<String, Set<String>> importsOf(Path sources) {
        Map<String, Set<String>> imports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(file -> {
                String source = read(file);
                imports.computeIfAbsent(packageOf(source), p -> new TreeSet<>()).addAll(importsIn(source));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return imports;
    }

    private static Set<String> importsIn(String source) {
        String own = packageOf(source);
        Set<String> used = new TreeSet<>();
        Matcher name = PROJECT_NAME.matcher(NOT_CODE.matcher(source).replaceAll(" "));
        while (name.find()) {
            String pkg = name.group(1).isEmpty() ? "" : name.group(1).substring(1);
            if (!pkg.equals(own)) {
                used.add(pkg);
            }
        }
        return used;
    }

    private static String packageOf(String source) {
        Matcher pkg = PACKAGE.matcher(source);
        if (!pkg.find()) {
            throw new IllegalArgumentException("no package declaration in " + source.lines().findFirst().orElse(""));
        }
        return pkg.group(1).equals("org.sparkmnist") ? "" : pkg.group(1).substring("org.sparkmnist.".length());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
