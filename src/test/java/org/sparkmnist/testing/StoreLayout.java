package org.sparkmnist.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.sparkmnist.store.RunStore;

/** Where the run store keeps a run.id's lock and checkpoints on a local disk, as RunStore's documented layout says. */
public final class StoreLayout {

    private StoreLayout() {
    }

    /** {@code <output.dir>/_spark-mnist/<run.id>}. */
    public static Path store(Path output, String runId) {
        return output.resolve(RunStore.DIRECTORY).resolve(runId);
    }

    /** The current lock file (the highest generation), if there is one. */
    public static Optional<Path> currentLock(Path output, String runId) {
        return children(store(output, runId)).filter(p -> p.getFileName().toString().matches("lock-[0-9]+"))
                .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring("lock-".length()))));
    }

    /** {@code relative} (e.g. "mlp/epoch-0002") in the checkpoints of whichever holder directory has it. */
    public static Optional<Path> checkpoint(Path output, String runId, String relative) {
        return children(store(output, runId)).filter(p -> p.getFileName().toString().startsWith("holder-"))
                .map(holder -> holder.resolve("checkpoints").resolve(relative)).filter(Files::exists).findFirst();
    }

    private static Stream<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
