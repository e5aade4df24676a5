package org.gdchaos;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Bad user input that no run could satisfy: an impossible grid, more steps or cells than fit,
 * settings out of range or contradicting each other. The message speaks of the quantity ("the
 * learning-rate grid is empty"), not of a command-line flag; {@link #setting} names the setting
 * it concerns by the key of its {@link Setting} (its path in run.json's spec: {@code "training.steps"},
 * {@code "lyapunov.replicas"}), which the command line maps to its flag; a message about several settings names them through
 * {@link #message}. The command line reports it as one line and exits with code 3 (like
 * {@link org.gdchaos.data.DataException} for data), never with a stack trace. Any other
 * {@link IllegalArgumentException} or {@link IllegalStateException} is an internal error.
 */
public class InputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String setting;
    private final transient Function<UnaryOperator<String>, String> wording;

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
        this.wording = null;
    }

    /**
     * A message about several settings, worded by {@code wording} with each setting named by the
     * function it is given: by its key ({@link #getMessage()}), or by its flag ({@link #message}).
     */
    public InputException(Function<UnaryOperator<String>, String> wording) {
        super(wording.apply(UnaryOperator.identity()));
        this.setting = null;
        this.wording = wording;
    }

    /** A mistake found while reading {@code cause} (e.g. a malformed file the user pointed to). */
    public InputException(String message, Throwable cause) {
        super(message, cause);
        this.setting = null;
        this.wording = null;
    }

    /** The message with each setting it names called {@code name.apply(key)} (e.g. its flag). */
    public String message(UnaryOperator<String> name) {
        return wording == null ? getMessage() : wording.apply(name);
    }

    /** The setting concerned, e.g. {@code "training.steps"}; empty when the message concerns none or several. */
    public Optional<String> setting() {
        return Optional.ofNullable(setting);
    }
}
