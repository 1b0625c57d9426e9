package org.sparkmnist.testing;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * A local directory seen as macOS and Windows filesystems show theirs, for the scheme {@code nocase}:
 * case-preserving and case-insensitive. Each name in a path is looked up ignoring case, so {@code
 * Exp1} and {@code exp1} are one directory, shown with the case it was created with. The machines
 * the tests run on mount no such filesystem (this kernel has no casefold support).
 */
public final class CaseFoldingFileSystem extends PassThroughFileSystem {

    public static final String SCHEME = "nocase";

    public CaseFoldingFileSystem() {
        super(SCHEME);
    }

    /** A configuration whose {@code nocase:///path} is the local {@code /path}, ignoring case. */
    public static Configuration over(Configuration base) {
        return register(base, SCHEME, CaseFoldingFileSystem.class, CaseFoldingFs.class);
    }

    /** The local path an existing entry has, each name matched ignoring case; a missing tail is kept as asked. */
    @Override
    protected Path in(Path path) throws IOException {
        String[] names = makeQualified(path).toUri().getPath().split("/");
        Path at = new Path("file:///");
        for (String name : names) {
            if (name.isEmpty()) {
                continue;
            }
            Path next = new Path(at, name);
            if (inner().isDirectory(at)) {
                for (FileStatus child : inner().listStatus(at)) {
                    if (child.getPath().getName().equalsIgnoreCase(name)) {
                        next = new Path(at, child.getPath().getName());
                        break;
                    }
                }
            }
            at = next;
        }
        return at;
    }

    /** An existing target, matched ignoring case, is refused rather than replaced. */
    @Override
    public boolean rename(Path source, Path target) throws IOException {
        Path to = in(target);
        if (inner().exists(to)) {
            throw new org.apache.hadoop.fs.FileAlreadyExistsException(target + " exists");
        }
        return inner().rename(in(source), to);
    }

    /** Names the missing path as asked, not as the local path it was matched to. */
    @Override
    public FileStatus getFileStatus(Path path) throws IOException {
        Path local = in(path);
        if (!inner().exists(local)) {
            throw new FileNotFoundException(path + " does not exist");
        }
        return out(inner().getFileStatus(local));
    }

    /** The same filesystem for FileContext, which the run store creates, renames and removes through here. */
    public static final class CaseFoldingFs extends DelegateToFileSystem {
        public CaseFoldingFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
            super(uri, new CaseFoldingFileSystem(), conf, SCHEME, false);
        }
    }
}
