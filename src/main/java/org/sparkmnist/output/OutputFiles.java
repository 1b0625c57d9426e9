package org.sparkmnist.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;

/**
 * The only code that changes anything under output.dir: every create, mkdir, rename and delete of
 * the run store goes through here, and each one is checked to stay inside what the store owns for
 * one run.id: {@code <output.dir>/_temporary/<run.id>/} and below, plus {@code <output.dir>/<run.id>}
 * as the source or target of a rename. Anything else is a bug and throws {@link IllegalStateException}
 * before the filesystem is touched.
 *
 * <p>Renames never replace: on HDFS {@code rename(src, dst, Options.Rename.NONE)} (atomic in the
 * NameNode), on a local disk {@code rename(2)} after checking the target is absent (rename(2) can
 * replace only an empty directory, and Hadoop's local rename would fall back to copying), elsewhere
 * {@code FileContext.rename(src, dst, Options.Rename.NONE)}. Exclusive creation (the lock, the commit
 * record) is {@code O_EXCL} on a local disk and {@code create(path, false)} elsewhere.
 *
 * <p>On a local disk the raw filesystem is used, so no {@code .crc} side files are written, without
 * changing the checksum setting of the filesystem instance Hadoop caches for everybody else.
 */
final class OutputFiles {

    private final FileSystem fs;
    private final Configuration hadoop;
    private final Path root;
    private final Path run;
    private final Path runTemporary;
    private FileContext context;
    /** Why mutations must stop (the lease was lost or released), or null while they may go on. */
    private volatile Supplier<String> fence = () -> null;

    OutputFiles(FileSystem fs, Configuration hadoop, Path root, String runId) {
        this.fs = fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
        this.hadoop = hadoop;
        this.root = root;
        this.run = new Path(root, runId);
        this.runTemporary = new Path(new Path(root, RunStore.TEMPORARY), runId);
    }

    Path root() {
        return root;
    }

    /** {@code <output.dir>/<run.id>}: where the committed run is. */
    Path run() {
        return run;
    }

    /** {@code <output.dir>/_temporary/<run.id>}: everything else the store keeps for the run.id. */
    Path runTemporary() {
        return runTemporary;
    }

    FileSystem fileSystem() {
        return fs;
    }

    void fenceWith(Supplier<String> reason) {
        this.fence = reason;
    }

    // ---- reads: anywhere under output.dir

    boolean exists(Path path) throws IOException {
        return fs.exists(path);
    }

    boolean isDirectory(Path path) throws IOException {
        return fs.isDirectory(path);
    }

    FileStatus status(Path path) throws IOException {
        return fs.getFileStatus(path);
    }

    FileStatus[] list(Path dir) throws IOException {
        return fs.listStatus(dir);
    }

    InputStream open(Path file) throws IOException {
        return fs.open(file);
    }

    byte[] read(Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return in.readAllBytes();
        }
    }

    // ---- changes: only what the store owns

    void mkdirs(Path dir) throws IOException {
        if (!fs.makeQualified(dir).equals(runTemporary)) {
            requireOwned(dir, "create");
        }
        if (!fs.mkdirs(dir)) {
            throw new IOException("cannot create directory " + dir);
        }
    }

    OutputStream create(Path file) throws IOException {
        requireOwned(file, "write");
        return fs.create(file, true);
    }

    /** Creates {@code file} with {@code content} only if nothing is there; false if something is. */
    boolean createExclusive(Path file, byte[] content) throws IOException {
        requireOwned(file, "create");
        if (isLocal()) {
            try {
                Files.write(localFile(file), content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (NoSuchFileException e) {
                // Its directory was removed as empty by a run that was just releasing it: make it again.
                mkdirs(file.getParent());
                return createExclusive(file, content);
            }
        }
        try (OutputStream out = fs.create(file, false)) {
            out.write(content);
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        }
    }

    /** Moves {@code source} to {@code target}; fails, changing nothing, when {@code target} exists. */
    void rename(Path source, Path target) throws IOException {
        requireOwnedOrRun(source, "move");
        requireOwnedOrRun(target, "move to");
        if (isLocal()) {
            java.nio.file.Path to = localFile(target);
            if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                throw new org.apache.hadoop.fs.FileAlreadyExistsException("cannot move " + source + " to " + target + ": it exists");
            }
            Files.move(localFile(source), to, StandardCopyOption.ATOMIC_MOVE);
        } else if (fs instanceof DistributedFileSystem hdfs) {
            hdfs.rename(source, target, Options.Rename.NONE);
        } else {
            fileContext().rename(source, target, Options.Rename.NONE);
        }
    }

    /** Deletes {@code path} (and what is below it) if it exists. */
    void delete(Path path) throws IOException {
        requireOwned(path, "delete");
        if (!fs.delete(path, true) && fs.exists(path)) {
            throw new IOException("cannot delete " + path);
        }
    }

    /**
     * Removes the directory {@code dir} if it is empty: the run.id's own temporary directory or
     * {@code _temporary} itself. A non-recursive delete refuses a directory that another run has just
     * put something in, so this cannot take that away.
     */
    void removeIfEmpty(Path dir) {
        if (!dir.equals(runTemporary) && !dir.equals(runTemporary.getParent())) {
            throw new IllegalStateException("bug: the run store removes only its own empty directories, not " + dir);
        }
        try {
            if (fs.isDirectory(dir) && fs.listStatus(dir).length == 0) {
                fs.delete(dir, false);
            }
        } catch (IOException notEmptyOrGone) {
            // Another run of another id uses it now, or it is already gone: either way it stays theirs.
        }
    }

    void setModificationTime(Path file, long millis) throws IOException {
        requireOwned(file, "touch");
        fs.setTimes(file, millis, -1);
    }

    // ---- the rules

    private boolean isLocal() {
        return fs instanceof RawLocalFileSystem && "file".equals(fs.getUri().getScheme());
    }

    private java.nio.file.Path localFile(Path path) {
        return ((RawLocalFileSystem) fs).pathToFile(path).toPath();
    }

    private FileContext fileContext() throws IOException {
        if (context == null) {
            context = FileContext.getFileContext(fs.getUri(), hadoop);
        }
        return context;
    }

    private void requireOwnedOrRun(Path path, String what) {
        if (!fs.makeQualified(path).equals(run)) {
            requireOwned(path, what);
        } else {
            requireUnfenced(path, what);
        }
    }

    /** {@code path} must be strictly below {@code <output.dir>/_temporary/<run.id>}. */
    private void requireOwned(Path path, String what) {
        Path qualified = fs.makeQualified(path);
        String own = runTemporary.toUri().getPath() + "/";
        boolean sameFs = java.util.Objects.equals(qualified.toUri().getScheme(), runTemporary.toUri().getScheme())
                && java.util.Objects.equals(qualified.toUri().getAuthority(), runTemporary.toUri().getAuthority());
        if (!sameFs || !qualified.toUri().getPath().startsWith(own) || qualified.toUri().getPath().contains("/../")) {
            throw new IllegalStateException("bug: the run store was asked to " + what + " " + path + ", outside " + runTemporary
                    + " and " + run + ", which are all it may change");
        }
        // The lease's own file stays writable while its holder checks whether it still holds it.
        boolean lockFile = qualified.getParent().equals(runTemporary)
                && (qualified.getName().equals(RunLease.LOCK) || qualified.getName().startsWith(RunLease.LOCK + ".stale-"));
        if (!lockFile) {
            requireUnfenced(path, what);
        }
    }

    private void requireUnfenced(Path path, String what) {
        String reason = fence.get();
        if (reason != null) {
            throw new IllegalStateException("cannot " + what + " " + path + ": " + reason);
        }
    }
}
