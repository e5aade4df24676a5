package org.gdchaos.sweep.store;

import java.util.function.Function;
import java.util.function.UnaryOperator;

/** The output folder cannot be created or written, or already holds another sweep. */
public final class OutputFolderException extends RuntimeException {
    private final boolean resumeFixes;
    private final transient Function<UnaryOperator<String>, String> wording;

    public OutputFolderException(String message) {
        this(message, false);
    }

    private OutputFolderException(String message, boolean resumeFixes) {
        super(message);
        this.resumeFixes = resumeFixes;
        this.wording = null;
    }

    /**
     * The folder holds a sweep with other settings: the message is worded by {@code wording} with
     * each setting named by the function it is given (its key in {@link #getMessage()}, its flag on
     * the command line, {@link #message}).
     */
    public OutputFolderException(Function<UnaryOperator<String>, String> wording) {
        super(wording.apply(UnaryOperator.identity()));
        this.resumeFixes = false;
        this.wording = wording;
    }

    /** The message with each setting it names called {@code name.apply(key)} (e.g. its flag). */
    public String message(UnaryOperator<String> name) {
        return wording == null ? getMessage() : wording.apply(name);
    }

    /**
     * A failure after which resuming the sweep (once the folder is fixed) finishes it; the
     * command line names its resume option next to the message.
     */
    public static OutputFolderException resumable(String message) {
        return new OutputFolderException(message, true);
    }

    /** Whether resuming the sweep is the fix the message describes. */
    public boolean resumeFixes() {
        return resumeFixes;
    }
}
