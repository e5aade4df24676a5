package org.gdchaos.sweep;

/** The output folder cannot be created or written, or already holds another sweep. */
public final class OutputFolderException extends RuntimeException {
    public OutputFolderException(String message) {
        super(message);
    }
}
