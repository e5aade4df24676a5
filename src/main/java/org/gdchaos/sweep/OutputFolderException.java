package org.gdchaos.sweep;

/** The output folder cannot be created or written, or already holds another sweep. */
public final class OutputFolderException extends RuntimeException {
    private final boolean resumeFixes;

    public OutputFolderException(String message) {
        this(message, false);
    }

    private OutputFolderException(String message, boolean resumeFixes) {
        super(message);
        this.resumeFixes = resumeFixes;
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
