package org.gdchaos.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.gdchaos.cli.ExitCodes;
import org.gdchaos.cli.Main;
import org.gdchaos.cli.SlurmCommand;
import org.gdchaos.cli.SlurmStatusCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gdchaos slurm submit/status/resubmit} end to end, with sbatch and scontrol replaced by shell scripts. */
class SlurmCliTest {
    @TempDir
    Path tmp;

    static final List<String> SWEEP = List.of("--data", "teacher:in=3,hidden=2,out=2,n=20,seed=4", "--train-size", "20",
            "--test-size", "20", "--layers", "3,4,2", "--loss", "mse", "--lr", "0.1,1,2", "--inits", "2",
            "--replicas", "2", "--steps", "5");

    record Run(int code, String out, String err) {
    }

    static Run gdchaos(List<String> args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code;
        try (PrintWriter po = new PrintWriter(o); PrintWriter pe = new PrintWriter(e)) {
            code = Main.run(po, pe, args.toArray(String[]::new));
        }
        return new Run(code, o.toString(), e.toString());
    }

    /** A bin folder whose sbatch logs its arguments and answers job ids 41, 42, …; scontrol knows no job. */
    Path fakeSlurm(boolean sbatchFails) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path calls = tmp.resolve("calls");
        String sbatch = sbatchFails
                ? "#!/bin/sh\necho 'sbatch: error: invalid partition specified: nope' >&2\nexit 1\n"
                : "#!/bin/sh\necho \"$*\" >> '" + calls + "'\nn=$(wc -l < '" + calls + "')\necho \"$((40 + n));cluster\"\n";
        script(bin.resolve("sbatch"), sbatch);
        script(bin.resolve("scontrol"), "#!/bin/sh\necho 'slurm_load_jobs error: Invalid job id specified' >&2\nexit 1\n");
        return bin;
    }

    static void script(Path p, String text) throws IOException {
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    List<String> submit(Path out, Path bin, String... extra) {
        List<String> a = new ArrayList<>(List.of("slurm", "submit", "--shards", "3", "--out", out.toString(),
                "--gdchaos", "/opt/java/bin/java -jar /opt/gdchaos.jar", "--slurm-bin", bin.toString()));
        a.addAll(List.of(extra));
        a.addAll(SWEEP);
        return a;
    }

    @Test
    void submitWritesTheScriptsSubmitsArrayAndMergeAndPrintsTheJobId() throws IOException {
        Path bin = fakeSlurm(false);
        Path out = tmp.resolve("sweep");
        Run r = gdchaos(submit(out, bin, "--gpus-per-task", "1", "--partition", "gpu", "--time", "01:00:00"));
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("submitted array job 41: 3 shard(s) of 6 cells (tasks 0-2)"), r.out());
        assertTrue(r.out().contains("submitted merge job 42 (--dependency=afterok:41 --kill-on-invalid-dep=yes)"), r.out());
        List<String> calls = Files.readAllLines(tmp.resolve("calls"));
        assertEquals(List.of("--parsable " + out.resolve("slurm/sweep.sbatch"),
                "--parsable --dependency=afterok:41 --kill-on-invalid-dep=yes " + out.resolve("slurm/merge.sbatch")), calls);
        String sc = Files.readString(out.resolve("slurm/sweep.sbatch"));
        assertTrue(sc.contains("\n#SBATCH --array=0-2\n") && sc.contains("\n#SBATCH --gpus-per-task=1\n")
                && sc.contains("\n#SBATCH --partition=gpu\n"), sc);
        assertTrue(sc.contains("\nGDCHAOS=(/opt/java/bin/java -jar /opt/gdchaos.jar)\n"), sc);
        assertTrue(sc.contains("\nSWEEP_OPTIONS=(" + String.join(" ", SWEEP) + ")\n"), sc);
        assertTrue(Files.exists(out.resolve("slurm/spec.json")));

        Run status = gdchaos(List.of("slurm", "status", out.toString(), "--slurm-bin", bin.toString()));
        assertEquals(SlurmStatusCommand.NOT_DONE, status.code(), status.err());
        assertTrue(status.out().contains("0 done, 0 running, 0 pending, 3 missing (shards 0-2;"), status.out());
        assertTrue(status.out().contains("41_2 (unknown to Slurm)"), status.out());

        Run again = gdchaos(List.of("slurm", "resubmit", "--parsable", out.toString(), "--slurm-bin", bin.toString()));
        assertEquals(ExitCodes.OK, again.code(), again.err());
        assertEquals("43", again.out().strip());
        assertEquals("--parsable --array=0-2 " + out.resolve("slurm/sweep.sbatch"), Files.readAllLines(tmp.resolve("calls")).get(2));

        Run viaSubmit = gdchaos(List.of("slurm", "submit", "--resubmit", out.toString(), "--no-merge",
                "--slurm-bin", bin.toString()));
        assertEquals(ExitCodes.OK, viaSubmit.code(), viaSubmit.err());
        assertTrue(viaSubmit.out().contains("resubmitted shard(s) 0-2 as array job 45"), viaSubmit.out());
    }

    @Test
    void parsablePrintsOnlyTheIdAndDryRunSubmitsNothing() throws IOException {
        Path bin = fakeSlurm(false);
        Run r = gdchaos(submit(tmp.resolve("a"), bin, "--parsable", "--no-merge"));
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertEquals("41", r.out().strip());
        Run dry = gdchaos(submit(tmp.resolve("b"), bin, "--dry-run"));
        assertEquals(ExitCodes.OK, dry.code(), dry.err());
        assertTrue(Files.exists(tmp.resolve("b/slurm/sweep.sbatch")));
        assertEquals(1, Files.readAllLines(tmp.resolve("calls")).size(), "dry run called sbatch");
    }

    @Test
    void sweepOptionsMayFollowADoubleDash() throws IOException {
        Path bin = fakeSlurm(false);
        List<String> a = new ArrayList<>(List.of("slurm", "submit", "--shards", "2", "--out", tmp.resolve("c").toString(),
                "--gdchaos", "/bin/gdchaos", "--slurm-bin", bin.toString(), "--dry-run", "--"));
        a.addAll(SWEEP);
        Run r = gdchaos(a);
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(Files.readString(tmp.resolve("c/slurm/sweep.sbatch")).contains("SWEEP_OPTIONS=(--data teacher:"));
    }

    @Test
    void refusesBadRequestsBeforeSubmitting() throws IOException {
        Path bin = fakeSlurm(false);
        Run shard = gdchaos(submit(tmp.resolve("d"), bin, "--shard", "0/2"));
        assertEquals(ExitCodes.USAGE, shard.code(), shard.err());
        assertTrue(shard.err().contains("--shard is set by the array script"), shard.err());
        Run tooMany = gdchaos(List.of("slurm", "submit", "--shards", "7", "--out", tmp.resolve("e").toString(),
                "--gdchaos", "/bin/g", "--slurm-bin", bin.toString(), "--lr", "0.1,1,2", "--inits", "2",
                "--data", "teacher:in=3,hidden=2,out=2,n=20,seed=4", "--train-size", "20", "--test-size", "20",
                "--layers", "3,4,2", "--loss", "mse"));
        assertEquals(ExitCodes.BAD_INPUT, tooMany.code(), tooMany.err());
        assertTrue(tooMany.err().contains("between 1 and the number of cells (6"), tooMany.err());
        Run badSweep = gdchaos(List.of("slurm", "submit", "--shards", "2", "--out", tmp.resolve("f").toString(),
                "--gdchaos", "/bin/g", "--slurm-bin", bin.toString(), "--steps", "0"));
        assertEquals(ExitCodes.BAD_INPUT, badSweep.code(), badSweep.err());
        Run relative = gdchaos(submit(tmp.resolve("g"), bin, "--gdchaos", "java -jar x.jar"));
        assertEquals(ExitCodes.USAGE, relative.code(), relative.err());
        assertFalse(Files.exists(tmp.resolve("calls")), "nothing submitted");
    }

    /** --sharpness-k passes through to the array script and is recorded; without --sharpness it is refused. */
    @Test
    void sharpnessKPassesThroughAndIsChecked() throws IOException {
        Path bin = fakeSlurm(false);
        Run ok = gdchaos(submit(tmp.resolve("k"), bin, "--dry-run", "--sharpness", "--sharpness-k", "3"));
        assertEquals(ExitCodes.OK, ok.code(), ok.err());
        assertTrue(Files.readString(tmp.resolve("k/slurm/sweep.sbatch")).contains("--sharpness --sharpness-k 3"));
        assertTrue(Files.readString(tmp.resolve("k/slurm/spec.json")).contains("\"sharpnessK\" : 3"),
                Files.readString(tmp.resolve("k/slurm/spec.json")));
        Run bad = gdchaos(submit(tmp.resolve("l"), bin, "--dry-run", "--sharpness-k", "3"));
        assertEquals(ExitCodes.BAD_INPUT, bad.code(), bad.err());
        assertTrue(bad.err().contains("--sharpness-k: 3 Hessian eigenvalues need a sharpness measurement"), bad.err());
        assertFalse(Files.exists(tmp.resolve("l/slurm")), "no script written");
    }

    @Test
    void anotherSweepInTheSameFolderIsRefused() throws IOException {
        Path bin = fakeSlurm(false);
        Path out = tmp.resolve("h");
        assertEquals(ExitCodes.OK, gdchaos(submit(out, bin, "--dry-run")).code());
        List<String> other = submit(out, bin, "--dry-run");
        other.set(other.indexOf("5"), "6");   // --steps 5 → 6
        Run r = gdchaos(other);
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("different settings (--steps: 5 in the folder, 6 now)"), r.err());
    }

    @Test
    void aFailingSbatchIsReportedWithItsMessage() throws IOException {
        Path bin = fakeSlurm(true);
        Run r = gdchaos(submit(tmp.resolve("i"), bin, "--partition", "nope"));
        assertEquals(SlurmCommand.SLURM_FAILED, r.code(), r.err());
        assertTrue(r.err().contains("sbatch failed (exit 1): sbatch: error: invalid partition specified: nope"), r.err());
    }
}
