package org.sparkmnist.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.DistributedFileSystem;

/**
 * The only code that changes anything under output.dir: every create, mkdir, rename and delete of
 * the run store goes through here, and each one is checked to stay inside what the store owns for
 * one run.id: {@code <output.dir>/_spark-mnist/<run.id>/} and below, {@code <output.dir>/<run.id>}
 * as the source or target of a rename, and the entries an earlier version kept in
 * {@code <output.dir>/_temporary/<run.id>/} (see {@link LegacyStore}). Anything else is a bug and
 * throws {@link IllegalStateException} before the filesystem is touched.
 *
 * <p>Nothing here creates a missing parent directory on the way: files are created in an existing
 * directory only ({@code CREATE_NEW}/{@code CREATE} without mkdirs on a local disk, {@code
 * createNonRecursive} on HDFS, {@code FileContext.create} without {@code createParent} elsewhere), and
 * directories one level at a time ({@link #mkdirBelow}). That is what fences a driver that lost its
 * lease: once its holder directory is renamed away, every path it still writes to has a missing
 * parent, and the write fails instead of recreating it.
 *
 * <p>Renames never replace: on HDFS {@code rename(src, dst, Options.Rename.NONE)} (atomic in the
 * NameNode), on a local disk {@code rename(2)} after checking the target is absent (rename(2) can
 * replace only an empty directory, and Hadoop's local rename would fall back to copying), elsewhere
 * {@code FileContext.rename(src, dst, Options.Rename.NONE)}. An empty directory is removed with
 * rmdir(2) on a local disk and a non-recursive delete elsewhere (atomic in the NameNode): Hadoop's
 * local {@code delete(dir, false)} looks first and then deletes recursively, which could take a lock
 * created in between.
 *
 * <p>On a local disk the raw filesystem is used, so no {@code .crc} side files are written, without
 * changing the checksum setting of the filesystem instance Hadoop caches for everybody else.
 */
final class OutputFiles {

    private final FileSystem fs;
    private final Configuration hadoop;
    private final Path root;
    private final Path run;
    private final Path store;
    private final Path legacy;
    private FileContext context;
    /** Why mutations must stop (the lease was lost or released), or null while they may go on. */
    private volatile Supplier<String> fence = () -> null;

    OutputFiles(FileSystem fs, Configuration hadoop, Path root, String runId) {
        this.fs = fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
        this.hadoop = hadoop;
        this.root = root;
        this.run = new Path(root, runId);
        this.store = new Path(new Path(root, RunStore.DIRECTORY), runId);
        this.legacy = new Path(new Path(root, LegacyStore.TEMPORARY), runId);
    }

    Path root() {
        return root;
    }

    /** {@code <output.dir>/<run.id>}: where the committed run is. */
    Path run() {
        return run;
    }

    /** {@code <output.dir>/_spark-mnist/<run.id>}: everything else the store keeps for the run.id. */
    Path store() {
        return store;
    }

    /** {@code <output.dir>/_temporary/<run.id>}: where versions before this layout kept it. */
    Path legacy() {
        return legacy;
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

    /** Where {@code path} points if it is a symbolic link (dangling or not); empty for anything else, or on HDFS. */
    Optional<String> symlinkTarget(Path path) throws IOException {
        if (!isLocal()) {
            return Optional.empty();
        }
        java.nio.file.Path local = localFile(path);
        return Files.isSymbolicLink(local) ? Optional.of(Files.readSymbolicLink(local).toString()) : Optional.empty();
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

    /**
     * Creates {@code <output.dir>/_spark-mnist/<run.id>}: output.dir itself with any parents (the
     * user's), the two levels below it one at a time.
     */
    void mkdirStore() throws IOException {
        if (!fs.mkdirs(root)) {
            throw new IOException("cannot create directory " + root);
        }
        mkdirIfAbsent(store.getParent());
        mkdirIfAbsent(store);
    }

    /**
     * Creates {@code dir} and whatever is missing between it and {@code base}, one directory at a
     * time; {@code base} itself is never created, so this fails once {@code base} is gone.
     */
    void mkdirBelow(Path base, Path dir) throws IOException {
        requireOwned(dir, "create");
        String below = dir.toUri().getPath();
        String above = base.toUri().getPath() + "/";
        if (!below.startsWith(above)) {
            throw new IllegalStateException("bug: " + dir + " is not below " + base);
        }
        Path at = base;
        for (String segment : below.substring(above.length()).split("/")) {
            at = new Path(at, segment);
            mkdirIfAbsent(at);
        }
    }

    /** Creates the directory {@code dir} in its existing parent; fails if something is already there. */
    void mkdirNew(Path dir) throws IOException {
        requireOwned(dir, "create");
        if (isLocal()) {
            try {
                Files.createDirectory(localFile(dir));
            } catch (NoSuchFileException e) {
                throw missingParent(dir);
            } catch (FileAlreadyExistsException e) {
                throw new org.apache.hadoop.fs.FileAlreadyExistsException(dir + " exists");
            }
            return;
        }
        if (fs.exists(dir)) {
            throw new org.apache.hadoop.fs.FileAlreadyExistsException(dir + " exists");
        }
        mkdirIfAbsent(dir);
    }

    private void mkdirIfAbsent(Path dir) throws IOException {
        if (isLocal()) {
            java.nio.file.Path local = localFile(dir);
            while (true) {
                try {
                    Files.createDirectory(local);
                    return;
                } catch (FileAlreadyExistsException e) {
                    if (Files.isDirectory(local, LinkOption.NOFOLLOW_LINKS)) {
                        return;
                    }
                    if (Files.exists(local, LinkOption.NOFOLLOW_LINKS)) {
                        throw new IOException("cannot create directory " + dir + ": something else is there");
                    }
                    // Removed as empty by a run of another id just after it was seen: make it again.
                } catch (NoSuchFileException e) {
                    throw missingParent(dir);
                }
            }
        } else if (fs instanceof DistributedFileSystem hdfs) {
            if (!hdfs.mkdir(dir, FsPermission.getDirDefault())) {
                throw new IOException("cannot create directory " + dir);
            }
        } else {
            try {
                fileContext().mkdir(dir, FsPermission.getDirDefault(), false);
            } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
                if (!fs.isDirectory(dir)) {
                    throw e;
                }
            }
        }
    }

    /** Creates (or truncates) {@code file} in its existing directory. */
    OutputStream create(Path file) throws IOException {
        requireOwned(file, "write");
        return open(file, true);
    }

    /** Creates {@code file} with {@code content} only if nothing is there; false if something is. Its directory must exist. */
    boolean createExclusive(Path file, byte[] content) throws IOException {
        requireOwned(file, "create");
        try (OutputStream out = open(file, false)) {
            out.write(content);
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        }
    }

    private OutputStream open(Path file, boolean overwrite) throws IOException {
        if (isLocal()) {
            try {
                return overwrite
                        ? Files.newOutputStream(localFile(file), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)
                        : Files.newOutputStream(localFile(file), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                throw missingParent(file);
            } catch (FileAlreadyExistsException e) {
                throw new org.apache.hadoop.fs.FileAlreadyExistsException(file + " exists");
            }
        }
        EnumSet<CreateFlag> flags = overwrite ? EnumSet.of(CreateFlag.CREATE, CreateFlag.OVERWRITE) : EnumSet.of(CreateFlag.CREATE);
        if (fs instanceof DistributedFileSystem hdfs) {
            return hdfs.createNonRecursive(file, FsPermission.getFileDefault().applyUMask(FsPermission.getUMask(hadoop)), flags,
                    hadoop.getInt("io.file.buffer.size", 4096), hdfs.getDefaultReplication(file), hdfs.getDefaultBlockSize(file), null);
        }
        return fileContext().create(file, flags, Options.CreateOpts.donotCreateParent());
    }

    /** Moves {@code source} to {@code target}; fails, changing nothing, when {@code target} exists or its directory does not. */
    void rename(Path source, Path target) throws IOException {
        requireOwnedOrRun(source, "move");
        requireOwnedOrRun(target, "move to");
        if (isLocal()) {
            java.nio.file.Path to = localFile(target);
            if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                throw new org.apache.hadoop.fs.FileAlreadyExistsException("cannot move " + source + " to " + target + ": it exists");
            }
            try {
                Files.move(localFile(source), to, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                throw new FileNotFoundException("cannot move " + source + " to " + target + ": " + e.getFile() + " does not exist");
            }
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
     * Removes the directory {@code dir} if it is empty, in one step that fails on a directory holding
     * anything: the store's directories, and those an earlier version left. False if it stays.
     */
    boolean removeIfEmpty(Path dir) {
        if (!dir.equals(store) && !dir.equals(store.getParent()) && !dir.equals(legacy) && !dir.equals(legacy.getParent())) {
            throw new IllegalStateException("bug: the run store removes only its own empty directories, not " + dir);
        }
        try {
            if (isLocal()) {
                Files.delete(localFile(dir));
                return true;
            }
            return fs instanceof DistributedFileSystem ? fs.delete(dir, false) : fileContext().delete(dir, false);
        } catch (DirectoryNotEmptyException | NoSuchFileException | FileNotFoundException notEmptyOrGone) {
            return false;
        } catch (IOException notEmpty) {
            // HDFS: PathIsNotEmptyDirectoryException, and whatever else keeps it: it stays, which is always safe.
            return false;
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

    private static FileNotFoundException missingParent(Path path) {
        return new FileNotFoundException("cannot create " + path + ": its directory " + path.getParent() + " does not exist");
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

    /** {@code path} must be strictly below the run.id's store directory, or one of the earlier layout's entries of it. */
    private void requireOwned(Path path, String what) {
        Path qualified = fs.makeQualified(path);
        boolean inStore = strictlyBelow(qualified, store);
        boolean inLegacy = strictlyBelow(qualified, legacy) && LegacyStore.isOwnEntry(qualified.getParent().equals(legacy)
                ? qualified.getName() : firstSegmentBelow(qualified, legacy));
        if (!inStore && !inLegacy) {
            throw new IllegalStateException("bug: the run store was asked to " + what + " " + path + ", outside " + store
                    + " and " + run + ", which are all it may change");
        }
        // The lease's own files stay writable while their holder checks whether it still holds them.
        if (!RunLease.isLockFile(qualified, store)) {
            requireUnfenced(path, what);
        }
    }

    private boolean strictlyBelow(Path qualified, Path dir) {
        boolean sameFs = Objects.equals(qualified.toUri().getScheme(), dir.toUri().getScheme())
                && Objects.equals(qualified.toUri().getAuthority(), dir.toUri().getAuthority());
        String path = qualified.toUri().getPath();
        return sameFs && path.startsWith(dir.toUri().getPath() + "/") && !path.contains("/../") && !path.endsWith("/..");
    }

    private static String firstSegmentBelow(Path qualified, Path dir) {
        String rest = qualified.toUri().getPath().substring(dir.toUri().getPath().length() + 1);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private void requireUnfenced(Path path, String what) {
        String reason = fence.get();
        if (reason != null) {
            throw new IllegalStateException("cannot " + what + " " + path + ": " + reason);
        }
    }
}
