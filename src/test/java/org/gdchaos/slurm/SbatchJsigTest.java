package org.gdchaos.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 1: the generated batch scripts preload the JDK's libjsig.so (signal chaining)
 * when they start java directly, keeping an existing LD_PRELOAD. Run with bash against a fake
 * JDK whose "java" prints LD_PRELOAD.
 */
class SbatchJsigTest {
    @TempDir
    Path tmp;

    /** Runs the script; returns its output's last line (what the started command printed). */
    String run(String script, String preload) throws IOException, InterruptedException {
        Path f = tmp.resolve("script.sh");
        Files.writeString(f, script, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder("bash", f.toString()).redirectErrorStream(true);
        pb.environment().put("SLURM_ARRAY_TASK_ID", "0");
        if (preload == null) pb.environment().remove("LD_PRELOAD");
        else pb.environment().put("LD_PRELOAD", preload);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.strip().lines().toList();
        return lines.get(lines.size() - 1);
    }

    @Test
    void scriptsPreloadTheJdksLibjsigForJava() throws IOException, InterruptedException {
        Path jdk = tmp.resolve("jdk");
        Files.createDirectories(jdk.resolve("bin"));
        Files.createDirectories(jdk.resolve("lib"));
        // a real shared object (the dynamic loader preloads it into the fake java's shell)
        Files.copy(Path.of(System.getProperty("java.home"), "lib", "libjsig.so"), jdk.resolve("lib/libjsig.so"));
        Path java = jdk.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho \"LD_PRELOAD=$LD_PRELOAD\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        // a symlinked java resolves to its JDK, as /usr/bin/java does
        Path link = Files.createSymbolicLink(tmp.resolve("java"), java);
        Path jsig = jdk.resolve("lib/libjsig.so").toRealPath();
        SbatchScripts.Job job = new SbatchScripts.Job(tmp.resolve("out"), tmp, 2, 1, 2,
                List.of(link.toString(), "-jar", "/x/gdchaos.jar"), List.of("--lr", "0.1"), "1.0");
        SlurmSettings s = SlurmSettings.defaults();
        assertEquals("LD_PRELOAD=" + jsig, run(SbatchScripts.sweep(job, s), null));
        Path other = Files.copy(jsig, tmp.resolve("other.so"));
        assertEquals("LD_PRELOAD=" + jsig + ":" + other, run(SbatchScripts.sweep(job, s), other.toString()));
        assertEquals("LD_PRELOAD=" + jsig, run(SbatchScripts.merge(job, s), null));
        assertEquals("LD_PRELOAD=" + jsig, run(SbatchScripts.sweep(job, s), jsig.toString()), "not twice");

        // a launcher script (not java) preloads for itself: the batch script leaves LD_PRELOAD alone
        Path launcher = tmp.resolve("gdchaos");
        Files.writeString(launcher, "#!/bin/sh\necho \"LD_PRELOAD=$LD_PRELOAD\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        SbatchScripts.Job viaLauncher = new SbatchScripts.Job(tmp.resolve("out"), tmp, 2, 1, 2,
                List.of(launcher.toString()), List.of(), "1.0");
        assertEquals("LD_PRELOAD=", run(SbatchScripts.sweep(viaLauncher, s), null));
    }
}
