package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gdchaos.slurm.Launcher;
import org.gdchaos.slurm.SbatchScripts;
import org.gdchaos.slurm.SlurmSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every entry point drops the JVM's boot line "WARNING: Using incubator modules:
 * jdk.incubator.vector" from stderr, passes every other stderr line, and keeps the exit code: the
 * repository launcher ({@code ./gdchaos}, also the docker images' entry point), the bundle's
 * {@code bin/gdchaos} ({@code packaging/launcher.sh}) and the Slurm batch scripts. Each runs with
 * bash against a fake java that prints the JVM's line, another warning, and exits 3 (the exit
 * code of bad input). tests/cli/quiet.sh checks the real launcher with the real JVM.
 */
class QuietLaunchTest {
    static final String OTHER = "OpenJDK 64-Bit Server VM warning: another warning";

    @TempDir
    Path tmp;

    /** A fake java: the JVM's boot line and another warning on stderr, its arguments on stdout, exit 3. */
    Path fakeJava(Path bin) throws IOException {
        Files.createDirectories(bin);
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho '" + Launcher.INCUBATOR_WARNING + "' >&2\necho '" + OTHER
                + "' >&2\necho \"args: $*\"\nexit 3\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    record Result(int code, String out, String err) {
    }

    Result run(ProcessBuilder pb) throws IOException, InterruptedException {
        Path out = tmp.resolve("stdout"), err = tmp.resolve("stderr");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        // the filter may write its last line just after the JVM exits: wait until it has (bounded)
        for (int i = 0; i < 50 && !Files.readString(err).contains(OTHER); i++) Thread.sleep(100);
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static void assertQuiet(Result r) {
        assertEquals(3, r.code(), "the exit code passes through: " + r);
        assertFalse(r.err().contains("incubator"), r.err());
        assertTrue(r.err().contains(OTHER), "other warnings pass: " + r.err());
        assertTrue(r.out().contains("--add-modules jdk.incubator.vector"), r.out());
    }

    @Test
    void repositoryLauncher() throws IOException, InterruptedException {
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo.resolve("target"));
        Files.copy(Path.of("gdchaos"), repo.resolve("gdchaos"));
        Files.writeString(repo.resolve("target/gdchaos.jar"), ""); // no sources beside it: never rebuilt
        Path jdk = tmp.resolve("jdk");
        fakeJava(jdk.resolve("bin"));
        ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("gdchaos").toString(), "sweep", "--steps", "0");
        pb.environment().put("JAVA_HOME", jdk.toString());
        Result r = run(pb);
        assertQuiet(r);
        assertTrue(r.out().contains("-jar " + repo.resolve("target/gdchaos.jar") + " sweep --steps 0"), r.out());
        assertFalse(r.out().contains("-Dgdchaos.stderr"), "stderr is not a terminal here: " + r.out());
    }

    @Test
    void bundleLauncher() throws IOException, InterruptedException {
        Path root = tmp.resolve("bundle");
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("lib"));
        Files.copy(Path.of("packaging/launcher.sh"), root.resolve("bin/gdchaos"));
        Files.writeString(root.resolve("lib/gdchaos.jar"), "");
        fakeJava(root.resolve("runtime/bin"));
        assertQuiet(run(new ProcessBuilder("bash", root.resolve("bin/gdchaos").toString(), "backends")));
    }

    @Test
    void slurmScripts() throws IOException, InterruptedException {
        Path java = fakeJava(tmp.resolve("jdk/bin"));
        SbatchScripts.Job job = new SbatchScripts.Job(tmp.resolve("out"), tmp, 2, 1, 2,
                List.of(java.toString(), "--add-modules", "jdk.incubator.vector", "-jar", "/x/gdchaos.jar"),
                List.of("--lr", "0.1"), "1.0");
        for (String script : List.of(SbatchScripts.sweep(job, SlurmSettings.defaults()),
                SbatchScripts.merge(job, SlurmSettings.defaults()))) {
            Path f = tmp.resolve("job.sh");
            Files.writeString(f, script, StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder("bash", f.toString());
            pb.environment().put("SLURM_ARRAY_TASK_ID", "1");
            assertQuiet(run(pb));
        }
    }
}
