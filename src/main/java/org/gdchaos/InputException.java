package org.gdchaos.sweep;

/**
 * Bad user input that no run could satisfy: an impossible grid, more steps or cells than fit,
 * settings that contradict each other. The command line reports its message as one line and
 * exits with code 3 (like {@link org.gdchaos.data.DataException} for data), never with a stack
 * trace. A subclass of {@link IllegalArgumentException}, so callers that validate by catching
 * that keep working.
 */
public class InputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }
}
