package org.gdchaos.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code sbatch} and {@code scontrol} as processes (found on the PATH, or in {@code binDir}). */
public final class CommandSlurm implements Slurm {
    private static final long TIMEOUT_SECONDS = 120;
    private final Path binDir;

    /** @param binDir folder of the Slurm commands, or null to use the PATH */
    public CommandSlurm(Path binDir) {
        this.binDir = binDir;
    }

    @Override
    public String submit(List<String> options, Path script) {
        List<String> cmd = new ArrayList<>();
        cmd.add(exe("sbatch"));
        cmd.add("--parsable");
        cmd.addAll(options);
        cmd.add(script.toString());
        Result r = run(cmd);
        if (r.code != 0) throw new SlurmException("sbatch failed (exit " + r.code + "): " + r.output.strip());
        String id = lastLine(r.output);
        int semi = id.indexOf(';');
        if (semi >= 0) id = id.substring(0, semi);
        if (!id.matches("\\d+")) throw new SlurmException("sbatch answered '" + r.output.strip() + "', not a job id");
        return id;
    }

    @Override
    public List<String> showJob(String jobId) {
        Result r = run(List.of(exe("scontrol"), "-o", "show", "job", jobId));
        if (r.code != 0) {
            if (r.output.contains("Invalid job id")) return List.of();
            throw new SlurmException("scontrol show job " + jobId + " failed (exit " + r.code + "): " + r.output.strip());
        }
        List<String> lines = new ArrayList<>();
        for (String l : r.output.split("\n")) if (!l.isBlank()) lines.add(l.strip());
        return lines;
    }

    private String exe(String name) {
        return binDir == null ? name : binDir.resolve(name).toString();
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private record Result(int code, String output) {
    }

    private static Result run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SlurmException(cmd.get(0) + " did not answer within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SlurmException("cannot run " + cmd.get(0) + " (" + e.getMessage() + "): is Slurm installed "
                    + "and on the PATH?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlurmException("interrupted while running " + cmd.get(0), e);
        }
    }
}
