package org.gdchaos.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.lyapunov.Norm;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.Shard;
import org.gdchaos.sweep.store.RunInfo;
import org.gdchaos.sweep.SweepSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Submission, status and resubmission against a fake Slurm and hand-made shard folders. */
class SubmitterTest {
    @TempDir
    Path tmp;

    /** Records sbatch calls; answers scontrol from a table. */
    static final class FakeSlurm implements Slurm {
        final List<List<String>> calls = new ArrayList<>();
        final Map<String, List<String>> jobs = new HashMap<>();
        int next = 100;

        @Override
        public String submit(List<String> options, Path script) {
            List<String> c = new ArrayList<>(options);
            c.add(script.getFileName().toString());
            calls.add(c);
            return Integer.toString(next++);
        }

        @Override
        public List<String> showJob(String jobId) {
            return jobs.getOrDefault(jobId, List.of());
        }
    }

    static SweepSpec spec() {   // 2 learning rates × 3 inits = 6 cells
        return SweepSpec.builder().data("teacher:in=2,hidden=2,out=2,n=10,seed=1").trainSize(10).testSize(10)
                .model(new ModelSpec(new int[] {2, 3, 2}, Activation.TANH, true, Loss.MSE))
                .init(InitSpec.parse("normal:1")).learningRates(new double[] {0.5, 2.0}).inits(3).seed(1L)
                .steps(10).batchSize(0).dtype(DType.F64)
                .lyapunov(new LyapunovConfig(Method.PAPER, 2, 1, 1e-8, 1, 0, Norm.L1, false, GrowthFit.Method.parse("growth")))
                .accuracyThreshold(0.8).evalEvery(1).extras(null).build();
    }

    SbatchScripts.Job job(Path out, int shards) {
        return new SbatchScripts.Job(out, tmp, shards, 2, 3, List.of("/usr/bin/gdchaos"), List.of("--lr", "0.5,2"), "dev");
    }

    /** Writes shard I-of-N's folder with rows for the first {@code done} of its cells. */
    static void part(Path out, SweepSpec s, Shard sh, int done) throws IOException {
        Path d = sh.folder(out);
        Files.createDirectories(d);
        ObjectMapper m = new ObjectMapper();
        ObjectNode info = m.createObjectNode();
        info.set("spec", RunInfo.specTree(s));
        m.writeValue(d.resolve("run.json").toFile(), info);
        StringBuilder rows = new StringBuilder("lr_index,lr,init,lambda_1\n");
        List<Cell> cells = sh.cells(s);
        for (int i = 0; i < done; i++) {
            Cell c = cells.get(i);
            rows.append(c.lrIndex()).append(',').append(c.lr()).append(',').append(c.init()).append(",0.5\n");
        }
        Files.writeString(d.resolve("results.csv"), rows.toString());
    }

    @Test
    void submitsTheArrayThenTheDependentMerge() throws IOException {
        Path out = tmp.resolve("out");
        FakeSlurm slurm = new FakeSlurm();
        Submitter.Submitted r = new Submitter(slurm).submit(job(out, 3), SlurmSettings.defaults(), true);
        assertEquals("100", r.arrayJob());
        assertEquals("101", r.mergeJob());
        assertEquals(List.of(List.of("sweep.sbatch"),
                List.of("--dependency=afterok:100", "--kill-on-invalid-dep=yes", "merge.sbatch")), slurm.calls);
        assertTrue(Files.readString(out.resolve("slurm/sweep.sbatch")).contains("#SBATCH --array=0-2"));
        assertTrue(Files.isExecutable(out.resolve("slurm/merge.sbatch")));
        assertTrue(Files.isDirectory(out.resolve("slurm/logs")));
        List<JobLog.Entry> log = new JobLog(out.resolve("slurm")).read();
        assertEquals(2, log.size());
        assertEquals(new TreeSet<>(List.of(0, 1, 2)), log.get(0).indices());
        assertEquals(JobLog.Kind.MERGE, log.get(1).kind());

        FakeSlurm noMerge = new FakeSlurm();
        assertNull(new Submitter(noMerge).submit(job(tmp.resolve("o2"), 3), SlurmSettings.defaults(), false).mergeJob());
        assertEquals(1, noMerge.calls.size());
    }

    @Test
    void statusAndResubmissionOfOnlyTheMissingShards() throws IOException {
        Path out = tmp.resolve("out");
        SweepSpec s = spec();
        FakeSlurm slurm = new FakeSlurm();
        new Submitter(slurm).submit(job(out, 4), SlurmSettings.defaults(), true);   // array 100, merge 101
        part(out, s, new Shard(0, 4), 2);   // done (cells 0 and 4)
        part(out, s, new Shard(1, 4), 1);   // 1 of 2 cells, task cancelled
        part(out, s, new Shard(2, 4), 0);   // still running, no cell finished yet
        // shard 3: no folder, its task failed before starting
        slurm.jobs.put("100", List.of(
                "JobId=102 ArrayJobId=100 ArrayTaskId=0 JobState=COMPLETED Reason=None",
                "JobId=103 ArrayJobId=100 ArrayTaskId=1 JobState=CANCELLED Reason=None",
                "JobId=104 ArrayJobId=100 ArrayTaskId=2 JobState=RUNNING Reason=None",
                "JobId=105 ArrayJobId=100 ArrayTaskId=3 JobState=FAILED Reason=NonZeroExitCode"));
        slurm.jobs.put("101", List.of("JobId=101 JobState=PENDING Reason=Dependency"));

        SweepStatus st = SweepStatus.of(out, s, 4, new JobLog(out.resolve("slurm")).read(), slurm);
        assertEquals(List.of(SweepStatus.Kind.DONE, SweepStatus.Kind.MISSING, SweepStatus.Kind.RUNNING,
                SweepStatus.Kind.MISSING), st.shards().stream().map(SweepStatus.ShardState::kind).toList());
        assertEquals(List.of(2, 2, 1, 1), st.shards().stream().map(SweepStatus.ShardState::cells).toList());
        assertEquals(List.of(2, 1, 0, 0), st.shards().stream().map(SweepStatus.ShardState::done).toList());
        String table = st.render();
        assertTrue(table.contains("3/6 cells done in 4 shard(s)"), table);
        assertTrue(table.matches("(?s).*\\n1/4 +2 +1  missing +100_1 CANCELLED\\n.*"), table);
        assertTrue(table.contains("merge job 101: PENDING (Dependency)"), table);
        assertTrue(table.contains("1 done, 1 running, 0 pending, 2 missing (shards 1,3;"), table);

        Submitter.Submitted r = new Submitter(slurm).resubmit(out, s, true);
        assertEquals(new TreeSet<>(List.of(1, 3)), r.shards());
        assertEquals(List.of("--array=1,3", "sweep.sbatch"), slurm.calls.get(2));
        // the new merge waits for the new tasks to succeed and for the still-running old task to end
        assertEquals("afterok:102,afterany:100", r.mergeDependency());
        assertEquals(List.of("--dependency=afterok:102,afterany:100", "--kill-on-invalid-dep=yes", "merge.sbatch"),
                slurm.calls.get(3));

        // now the resubmitted tasks run: nothing more to resubmit
        slurm.jobs.put("102", List.of("JobId=102 ArrayJobId=102 ArrayTaskId=1,3 JobState=PENDING Reason=Priority"));
        Submitter.Submitted again = new Submitter(slurm).resubmit(out, s, true);
        assertNull(again.arrayJob());
        assertEquals(4, slurm.calls.size());
        SweepStatus st2 = SweepStatus.of(out, s, 4, new JobLog(out.resolve("slurm")).read(), slurm);
        assertEquals("102_1", st2.shards().get(1).job());
        assertEquals(SweepStatus.Kind.PENDING, st2.shards().get(3).kind());
    }

    @Test
    void aShardForgottenBySlurmAndUnfinishedIsMissing() throws IOException {
        Path out = tmp.resolve("out");
        SweepSpec s = spec();
        FakeSlurm slurm = new FakeSlurm();
        new Submitter(slurm).submit(job(out, 2), SlurmSettings.defaults(), false);
        part(out, s, new Shard(0, 2), 3);
        part(out, s, new Shard(1, 2), 2);
        SweepStatus st = SweepStatus.of(out, s, 2, new JobLog(out.resolve("slurm")).read(), slurm);
        assertEquals(SweepStatus.Kind.DONE, st.shards().get(0).kind());
        assertEquals(SweepStatus.Kind.MISSING, st.shards().get(1).kind());
        assertTrue(st.render().contains("100_1 (unknown to Slurm)"), st.render());
        part(out, s, new Shard(1, 2), 3);
        assertTrue(SweepStatus.of(out, s, 2, new JobLog(out.resolve("slurm")).read(), slurm).complete());
        assertNull(new Submitter(slurm).resubmit(out, s, true).arrayJob());
    }

    @Test
    void resubmitNeedsASubmission() {
        assertThrows(IllegalArgumentException.class, () -> new Submitter(new FakeSlurm()).resubmit(tmp, spec(), true));
    }
}
