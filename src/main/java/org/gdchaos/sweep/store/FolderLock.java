package org.gdchaos.sweep.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One writer per output folder: an exclusive {@link FileChannel#tryLock()} on {@value #FILE} in the
 * folder, held until {@link #close()}. A second gdchaos process (a shard started twice, a sweep
 * resumed while it still runs, two merges) fails at once with an {@link OutputFolderException}
 * (exit code 4) instead of interleaving rows. The operating system releases the lock when the
 * process dies, so a killed sweep leaves no stale lock; the (empty) file itself stays, since
 * deleting a lock file races with a process that has just opened it. Where the file system cannot
 * lock (some network file systems) the folder is used unlocked and {@link #warnings()} says so.
 */
public final class FolderLock implements AutoCloseable {
    /** The lock file in the folder. */
    public static final String FILE = ".gdchaos.lock";

    private final Path dir;
    private final List<String> warnings = new ArrayList<>();
    private FileChannel channel;
    private FileLock lock;

    private FolderLock(Path dir) {
        this.dir = dir;
    }

    /**
     * Locks an existing folder.
     *
     * @throws OutputFolderException when another process (or another lock in this JVM) holds it, or the
     *                               lock file cannot be opened
     */
    public static FolderLock acquire(Path dir) {
        FolderLock l = new FolderLock(dir);
        Path f = dir.resolve(FILE);
        try {
            l.channel = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new OutputFolderException("cannot open " + f + ": " + e.getMessage());
        }
        try {
            l.lock = l.channel.tryLock();
        } catch (OverlappingFileLockException e) {
            l.lock = null; // held by this JVM
        } catch (IOException e) {
            l.warnings.add("cannot lock " + f + " (" + e.getMessage() + "): the file system may not support locks; "
                    + "make sure no other gdchaos process writes " + dir);
            return l;
        }
        if (l.lock == null) {
            l.close();
            throw new OutputFolderException(lockedMessage(dir));
        }
        return l;
    }

    /** The message of a folder that another process is writing. */
    static String lockedMessage(Path dir) {
        return "another gdchaos process is writing " + dir + " (it holds " + dir.resolve(FILE) + "); wait for it "
                + "to finish, or use another output folder";
    }

    /** Non-fatal problems (a file system without locks). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Releases the lock (idempotent). */
    @Override
    public void close() {
        try {
            if (lock != null && lock.isValid()) lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        lock = null;
        try {
            if (channel != null) channel.close();
        } catch (IOException e) {
            // nothing to do: the lock goes with the channel or with the process
        }
        channel = null;
    }
}
