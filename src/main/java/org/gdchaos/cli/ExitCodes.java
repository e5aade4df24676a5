package org.gdchaos.cli;

/** Exit codes of the command line. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** An unexpected failure (a bug or an I/O failure mid-run); the message says which. */
    public static final int FAILURE = 1;
    /** Bad command-line usage (unknown option, malformed value) — picocli's default. */
    public static final int USAGE = 2;
    /** Bad input: malformed data, impossible grid or model, a plan that cannot fit in memory. */
    public static final int BAD_INPUT = 3;
    /** The output folder cannot be created or written, or holds another sweep. */
    public static final int OUTPUT = 4;
    /** The requested backend is unknown or unavailable. */
    public static final int BACKEND = 5;
    /** backends --verify found a backend that disagrees with the reference. */
    public static final int VERIFY_FAILED = 6;

    /** merge: some cells are missing (the found cells are still written). */
    public static final int INCOMPLETE = 7;
    /** slurm: sbatch/scontrol failed or is missing. */
    public static final int SLURM_FAILED = 8;
    /** slurm status: not every shard is done yet. */
    public static final int NOT_DONE = 9;

    private ExitCodes() {
    }
}
