package org.gdchaos.slurm;

/** A Slurm command failed or answered something unexpected; the message quotes it. */
public final class SlurmException extends RuntimeException {
    public SlurmException(String message) {
        super(message);
    }

    public SlurmException(String message, Throwable cause) {
        super(message, cause);
    }
}
