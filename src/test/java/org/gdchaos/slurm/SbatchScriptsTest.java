package org.gdchaos.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated scripts, checked by reading them and by running them with bash (no Slurm needed). */
class SbatchScriptsTest {
    @TempDir
    Path tmp;

    /** A "gdchaos" that prints each argument on its own line, so bash's word splitting is visible. */
    static final List<String> PRINT_ARGS = List.of("/usr/bin/printf", "%s\\n");
    static final List<String> OPTIONS = List.of("--lr", "0.1,1", "--data", "idx:/data/it's here", "--inits", "2");

    SbatchScripts.Job job(int shards) {
        return new SbatchScripts.Job(tmp.resolve("out"), tmp, shards, 2, 3, PRINT_ARGS, OPTIONS, "1.2.3");
    }

    record Run(int code, List<String> lines) {
    }

    Run runBash(String script, Map<String, String> env) throws IOException, InterruptedException {
        Path f = tmp.resolve("script.sh");
        Files.writeString(f, script, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder("bash", f.toString()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("SLURM_") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        return new Run(code, new ArrayList<>(List.of(out.split("\n", -1))));
    }

    @Test
    void arrayScriptHasOneTaskPerShardAndTheSlurmOptions() {
        SlurmSettings s = new SlurmSettings("mysweep", "gpu", "02:00:00", "proj", 4, 1, "16G", List.of("--qos=long"));
        String sc = SbatchScripts.sweep(job(5), s);
        assertTrue(sc.startsWith("#!/bin/bash\n"));
        for (String line : List.of("#SBATCH --job-name=mysweep", "#SBATCH --array=0-4", "#SBATCH --ntasks=1",
                "#SBATCH --cpus-per-task=4", "#SBATCH --gpus-per-task=1", "#SBATCH --partition=gpu",
                "#SBATCH --time=02:00:00", "#SBATCH --account=proj", "#SBATCH --mem=16G", "#SBATCH --qos=long",
                "#SBATCH --chdir=" + tmp, "#SBATCH --output=" + tmp.resolve("out/slurm/logs") + "/shard-%a.out",
                "SHARDS=5")) {
            assertTrue(sc.contains("\n" + line + "\n"), "missing line '" + line + "' in\n" + sc);
        }
        assertTrue(sc.contains("CUDA_VISIBLE_DEVICES"), "documents how the GPU is picked");
        assertTrue(sc.contains("2 learning rate(s) x 3 initialisation(s) = 6 cell(s) is split into 5 shard(s)"));
        // every #SBATCH line comes before the first command (sbatch stops reading them there)
        int lastDirective = sc.lastIndexOf("\n#SBATCH ");
        assertTrue(lastDirective < sc.indexOf("\nset -euo pipefail"));
        String cpuOnly = SbatchScripts.sweep(job(5), SlurmSettings.defaults());
        assertFalse(cpuOnly.contains("--gpus-per-task"));
        assertFalse(cpuOnly.contains("--partition"));
        assertTrue(cpuOnly.contains("\n#SBATCH --cpus-per-task=1\n"));
    }

    @Test
    void arrayTaskRunsItsShardWithResumeAndTheOptionsVerbatim() throws Exception {
        String sc = SbatchScripts.sweep(job(3), SlurmSettings.defaults());
        Run r = runBash(sc, Map.of("SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_JOB_ID", "77", "SLURM_CPUS_PER_TASK", "3",
                "CUDA_VISIBLE_DEVICES", "5"));
        assertEquals(0, r.code(), r.lines().toString());
        assertTrue(r.lines().get(0).startsWith("gdchaos shard 2/3: job 77_2 on ")
                && r.lines().get(0).contains("CUDA_VISIBLE_DEVICES=5"), r.lines().get(0));
        List<String> want = new ArrayList<>(List.of("sweep"));
        want.addAll(OPTIONS);
        want.addAll(List.of("--out", tmp.resolve("out").toString(), "--shard", "2/3", "--resume", ""));
        assertEquals(want, r.lines().subList(1, r.lines().size()));
    }

    @Test
    void arrayTaskGivesTheJavaBackendTheAllocatedCpus() throws Exception {
        SbatchScripts.Job j = new SbatchScripts.Job(tmp.resolve("out"), tmp, 2, 1, 2,
                List.of("/bin/sh", "-c", "echo \"$JAVA_TOOL_OPTIONS\""), List.of(), "dev");
        Run r = runBash(SbatchScripts.sweep(j, SlurmSettings.defaults()),
                Map.of("SLURM_ARRAY_TASK_ID", "0", "SLURM_CPUS_PER_TASK", "6"));
        assertEquals(0, r.code());
        assertEquals("-Dgdchaos.java.threads=6", r.lines().get(1).strip());
    }

    @Test
    void arrayScriptRefusesToRunOutsideSlurm() throws Exception {
        Run r = runBash(SbatchScripts.sweep(job(3), SlurmSettings.defaults()), Map.of());
        assertNotEquals(0, r.code());
        assertTrue(String.join("\n", r.lines()).contains("submit this script with sbatch"), r.lines().toString());
    }

    @Test
    void mergeScriptMergesTheOutputFolder() throws Exception {
        String sc = SbatchScripts.merge(job(3), new SlurmSettings("sw", "cpu", "1:00:00", null, 8, 2, null, List.of()));
        assertTrue(sc.contains("\n#SBATCH --job-name=sw-merge\n"));
        assertTrue(sc.contains("\n#SBATCH --partition=cpu\n"));
        assertTrue(sc.contains("\n#SBATCH --cpus-per-task=1\n"), "merging needs one CPU");
        assertFalse(sc.contains("gpus"), "merging needs no GPU");
        assertFalse(sc.contains("--array"));
        Run r = runBash(sc, Map.of());
        assertEquals(0, r.code());
        assertEquals(List.of("merge", tmp.resolve("out").toString(), ""), r.lines());
    }

    @Test
    void scriptsAreValidBash() throws Exception {
        Path f = tmp.resolve("s.sh");
        for (String sc : List.of(SbatchScripts.sweep(job(4), SlurmSettings.defaults()),
                SbatchScripts.merge(job(4), SlurmSettings.defaults()))) {
            Files.writeString(f, sc);
            Process p = new ProcessBuilder("bash", "-n", f.toString()).redirectErrorStream(true).start();
            String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), msg);
        }
    }

    @Test
    void rejectsWhatAnSbatchLineCannotHold() {
        assertThrows(IllegalArgumentException.class,
                () -> new SbatchScripts.Job(tmp.resolve("my out"), tmp, 2, 1, 2, PRINT_ARGS, List.of(), "dev"));
        assertThrows(IllegalArgumentException.class,
                () -> new SbatchScripts.Job(Path.of("rel"), tmp, 2, 1, 2, PRINT_ARGS, List.of(), "dev"));
        assertThrows(IllegalArgumentException.class,
                () -> new SlurmSettings(null, "a b", null, null, 1, 0, null, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new SlurmSettings(null, null, null, null, 0, 0, null, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new SlurmSettings(null, null, null, null, 1, -1, null, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new SlurmSettings(null, null, null, null, 1, 0, null, List.of("qos=long")));
    }

    @Test
    void quotesForBash() {
        assertEquals("0.1,1", Shell.quote("0.1,1"));
        assertEquals("teacher:in=4,n=40", Shell.quote("teacher:in=4,n=40"));
        assertEquals("'a b'", Shell.quote("a b"));
        assertEquals("''", Shell.quote(""));
        assertEquals("'it'\\''s'", Shell.quote("it's"));
        assertEquals("'$HOME'", Shell.quote("$HOME"));
    }
}
