package org.gdchaos.data;

/**
 * A dataset could not be found, read or parsed, or a request for it cannot be met
 * (unknown spec, more samples asked for than exist). The message always names the
 * file or spec involved and, where there is one, the fix.
 */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
