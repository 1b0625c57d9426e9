package org.sparkmnist.scoring;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files under an image directory as Spark's file sources see them: recursively, skipping every
 * name that starts with '_' or '.' (a hidden directory is not descended into), and the labels file
 * if it lies inside. Public for the benchmark's one-JVM baseline, which must score the same files.
 */
public final class ImageFiles {

    private ImageFiles() {
    }

    /**
     * Hands each file under the directory {@code dir} to {@code file}, one at a time, so that a caller
     * keeping only a count holds nothing per file. Listed level by level with {@code listStatus}, as
     * Spark's file index lists: {@code listFiles}' {@code LocatedFileStatus} loads every file's
     * permissions, which Hadoop's local filesystem without its native library does by running a
     * process per file.
     */
    public static void walk(FileSystem fs, Path dir, Optional<Path> labels, Consumer<FileStatus> file) throws IOException {
        Deque<Path> directories = new ArrayDeque<>(List.of(dir));
        while (!directories.isEmpty()) {
            for (FileStatus entry : fs.listStatus(directories.pop())) {
                Path path = entry.getPath();
                // Each level is checked before it is descended into, so an entry's own name is all there is to check.
                if (path.getName().startsWith("_") || path.getName().startsWith(".") || labels.map(path::equals).orElse(false)) {
                    continue;
                }
                if (entry.isDirectory()) {
                    directories.push(path);
                } else {
                    file.accept(entry);
                }
            }
        }
    }
}
