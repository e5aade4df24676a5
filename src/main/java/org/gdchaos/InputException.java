package org.gdchaos;

import java.util.Optional;

/**
 * Bad user input that no run could satisfy: an impossible grid, more steps or cells than fit,
 * settings out of range or contradicting each other. The message speaks of the quantity ("the
 * learning-rate grid is empty"), not of a command-line flag; {@link #setting} names the setting
 * it concerns (a key such as {@code "steps"} or {@code "lyapunov.replicas"}), which the command
 * line maps to its flag. The command line reports it as one line and exits with code 3 (like
 * {@link org.gdchaos.data.DataException} for data), never with a stack trace. Any other
 * {@link IllegalArgumentException} or {@link IllegalStateException} is an internal error.
 */
public class InputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String setting;

    public InputException(String message) {
        this(null, message);
    }

    /**
     * @param setting the setting the message is about (null when none or several)
     * @param message what is wrong, in terms of the quantity, and the fix
     */
    public InputException(String setting, String message) {
        super(message);
        this.setting = setting;
    }

    /** A mistake found while reading {@code cause} (e.g. a malformed file the user pointed to). */
    public InputException(String message, Throwable cause) {
        super(message, cause);
        this.setting = null;
    }

    /** The setting concerned, e.g. {@code "steps"}; empty when the message concerns none or several. */
    public Optional<String> setting() {
        return Optional.ofNullable(setting);
    }
}
