package org.gdchaos.cli;

/** The requested backend is unknown or unavailable (exit code {@link ExitCodes#BACKEND}). */
final class BackendException extends RuntimeException {
    BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
