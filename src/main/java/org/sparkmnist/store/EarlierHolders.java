package org.sparkmnist.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directories that earlier holders of a run's lease left in its store, as the new holder takes
 * them over: it seals each ({@code holder-<n>-<token>} renamed to {@code <mine>/dead-<n>-<token>},
 * one atomic rename, after which nothing their driver still does can reach them), recovers the
 * commits they were stopped in, oldest first, takes over the newest checkpoints, and deletes the rest.
 * A sealed directory may hold sealed directories of its own (a holder stopped while taking over):
 * they are older than it, and handled first.
 */
final class EarlierHolders {

    private static final Logger LOG = LoggerFactory.getLogger(EarlierHolders.class);

    private final OutputFiles files;
    private final String runId;
    private final Path mine;

    EarlierHolders(OutputFiles files, String runId, Path mine) {
        this.files = files;
        this.runId = runId;
        this.mine = mine;
    }

    /** A set of checkpoints and how new it is: the generation of the holder that wrote or last took it over (0: the earlier layout). */
    record Checkpoints(Path path, long generation) {
    }

    /** Every set of checkpoints earlier holders left, sealed or not, newest first; nothing is changed. */
    List<Checkpoints> checkpoints() throws IOException {
        List<Checkpoints> found = new ArrayList<>();
        for (FileStatus status : files.list(files.store())) {
            long generation = RunLease.holderGeneration(status.getPath().getName());
            if (generation > 0 && status.isDirectory() && !status.getPath().getName().equals(mine.getName())) {
                collect(status.getPath(), generation, found);
            }
        }
        collectSealed(mine, found);
        found.sort(Comparator.comparingLong(Checkpoints::generation).reversed());
        return found;
    }

    private void collect(Path holder, long generation, List<Checkpoints> into) throws IOException {
        Path checkpoints = new Path(holder, RunCheckpoints.DIRECTORY);
        if (files.isDirectory(checkpoints)) {
            into.add(new Checkpoints(checkpoints, generation));
        }
        collectSealed(holder, into);
    }

    private void collectSealed(Path holder, List<Checkpoints> into) throws IOException {
        for (Path sealed : sealedIn(holder)) {
            collect(sealed, RunLease.holderGeneration(sealed.getName()), into);
        }
    }

    /** Renames every other holder's directory into this holder's, and removes the lock files of earlier generations. */
    void seal(long myGeneration) throws IOException {
        for (FileStatus status : files.list(files.store())) {
            String name = status.getPath().getName();
            if (name.startsWith(RunLease.HOLDER) && RunLease.holderGeneration(name) > 0 && !name.equals(mine.getName())) {
                Path sealed = new Path(mine, RunStore.DEAD + name.substring(RunLease.HOLDER.length()));
                LOG.info("sealing {}, left by an earlier driver of run {}, as {}", status.getPath(), runId, sealed);
                files.rename(status.getPath(), sealed);
            }
        }
        for (FileStatus status : files.list(files.store())) {
            Path lock = status.getPath();
            if (RunLease.isLockFile(files.fileSystem().makeQualified(lock), files.store())
                    && Long.parseLong(lock.getName().substring(RunLease.LOCK.length())) < myGeneration) {
                files.delete(lock);
            }
        }
    }

    /** Recovers the commit of every sealed directory, the oldest first. */
    void recover() throws IOException {
        recoverBelow(mine);
    }

    private void recoverBelow(Path holder) throws IOException {
        for (Path sealed : sealedIn(holder)) {
            recoverBelow(sealed);
            RunCommit.recover(files, runId, sealed);
        }
    }

    /** Moves the newest of {@code candidates} to this holder's checkpoints; the others are deleted with their directories. */
    Optional<Path> adopt(List<Checkpoints> candidates) throws IOException {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Path newest = candidates.get(0).path();
        Path adopted = new Path(mine, RunCheckpoints.DIRECTORY);
        LOG.info("taking over the checkpoints of run {} from {}", runId, newest);
        files.rename(newest, adopted);
        return Optional.of(adopted);
    }

    /** Deletes the sealed directories: what is left in them is dead attempts and older checkpoints. */
    void sweep() throws IOException {
        for (Path sealed : sealedIn(mine)) {
            LOG.info("removing {}, left by an earlier driver of run {} that did not finish", sealed, runId);
            files.delete(sealed);
        }
    }

    /** The sealed directories directly in {@code holder}, oldest first. */
    private List<Path> sealedIn(Path holder) throws IOException {
        List<Path> sealed = new ArrayList<>();
        for (FileStatus status : files.list(holder)) {
            if (status.isDirectory() && status.getPath().getName().startsWith(RunStore.DEAD)
                    && RunLease.holderGeneration(status.getPath().getName()) > 0) {
                sealed.add(status.getPath());
            }
        }
        sealed.sort(Comparator.comparingLong(p -> RunLease.holderGeneration(p.getName())));
        return sealed;
    }
}
