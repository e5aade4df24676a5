package org.gdchaos.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Function;

/**
 * The one way gdchaos writes an output file: the content goes to {@code file.tmp} beside it,
 * which is then moved over {@code file} (atomically where the file system can; a plain replace
 * where it cannot). A reader, a crash or a full disk never sees a half-written file, only the
 * old one or the new one; a failed write leaves no {@code .tmp} behind. Callers turn the
 * {@link IOException} into their own error (e.g. an output-folder error naming the file).
 *
 * <p>Files appended to while a run goes on (results.csv, curves.csv, job logs) are not written
 * here: their own code forces and recovers them line by line.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the temporary file; may throw. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path tmp) throws IOException;
    }

    /**
     * {@link #writeString(Path, String)} with the failure turned into the caller's unchecked
     * exception: {@code failure} gets the message {@code "cannot write <file>: <why>"}.
     */
    public static Path writeString(Path file, String text, Function<String, ? extends RuntimeException> failure) {
        return write(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8), failure);
    }

    /** {@link #write(Path, Content)} with the failure turned into the caller's exception, as above. */
    public static Path write(Path file, Content content, Function<String, ? extends RuntimeException> failure) {
        try {
            return write(file, content);
        } catch (IOException e) {
            throw failure.apply("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Writes {@code text} as UTF-8 to {@code file}, atomically. */
    public static Path writeString(Path file, String text) throws IOException {
        return write(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to {@code file}, atomically. */
    public static Path write(Path file, byte[] bytes) throws IOException {
        return write(file, tmp -> Files.write(tmp, bytes));
    }

    /**
     * Lets {@code content} write {@code file.tmp} (it may also set its permissions), then moves it
     * over {@code file}; the temporary file is removed when anything fails.
     *
     * @return {@code file}
     */
    public static Path write(Path file, Content content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            content.writeTo(tmp);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) { // e.g. the temporary name is a folder that is not empty
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }
}
