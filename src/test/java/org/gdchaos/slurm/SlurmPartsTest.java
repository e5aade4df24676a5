package org.gdchaos.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Array index lists, scontrol output and the job log. */
class SlurmPartsTest {
    @TempDir
    Path tmp;

    @Test
    void arrayIndexLists() {
        assertEquals("0-3,5,7-8", ArrayIndices.format(new TreeSet<>(List.of(8, 0, 1, 2, 3, 5, 7))));
        assertEquals("4", ArrayIndices.format(new TreeSet<>(List.of(4))));
        assertEquals(new TreeSet<>(List.of(0, 1, 2, 3, 5)), ArrayIndices.parse("0-3,5"));
        assertEquals(new TreeSet<>(List.of(1, 3, 5, 7)), ArrayIndices.parse("1-7:2"));
        assertEquals(new TreeSet<>(List.of(0, 1, 2)), ArrayIndices.parse("0-2%1"));
        assertThrows(IllegalArgumentException.class, () -> ArrayIndices.parse("3-1"));
        assertThrows(IllegalArgumentException.class, () -> ArrayIndices.parse("x"));
        assertThrows(IllegalArgumentException.class, () -> ArrayIndices.format(new TreeSet<>()));
    }

    /** Lines as slurm 22.05's {@code scontrol -o show job} prints them (shortened). */
    static final List<String> ARRAY = List.of(
            "JobId=13 ArrayJobId=12 ArrayTaskId=0 JobName=gdchaos UserId=root(0) GroupId=root(0) Priority=1 "
                    + "JobState=COMPLETED Reason=None Dependency=(null) ExitCode=0:0 Command=/o/slurm/sweep.sbatch",
            "JobId=14 ArrayJobId=12 ArrayTaskId=1 JobName=gdchaos JobState=CANCELLED Reason=None ExitCode=0:15",
            "JobId=15 ArrayJobId=12 ArrayTaskId=2 JobName=gdchaos JobState=RUNNING Reason=None",
            "JobId=12 ArrayJobId=12 ArrayTaskId=3-5,7 ArrayTaskThrottle=0 JobName=gdchaos JobState=PENDING "
                    + "Reason=Resources Dependency=(null)");

    @Test
    void parsesArrayTaskStates() {
        Map<Integer, JobStates.TaskState> m = JobStates.parse(ARRAY);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 7), List.copyOf(m.keySet()));
        assertEquals("COMPLETED", m.get(0).state());
        assertFalse(m.get(0).active());
        assertFalse(m.get(1).active());
        assertTrue(m.get(2).active());
        assertEquals("PENDING (Resources)", m.get(4).toString());
        assertEquals("CANCELLED", m.get(1).toString());
    }

    @Test
    void parsesAPlainJob() {
        Map<Integer, JobStates.TaskState> m = JobStates.parse(List.of("JobId=16 JobName=gdchaos-merge UserId=root(0) "
                + "JobState=CANCELLED Reason=DependencyNeverSatisfied Dependency=afterok:12_*(failed)"));
        assertEquals(1, m.size());
        assertEquals("CANCELLED (DependencyNeverSatisfied)", m.get(-1).toString());
        assertTrue(JobStates.parse(List.of()).isEmpty());
    }

    @Test
    void jobLogRoundTrips() {
        JobLog log = new JobLog(tmp.resolve("slurm"));
        assertFalse(log.exists());
        assertEquals(null, log.lastArray());
        log.append(new JobLog.Entry(JobLog.Kind.ARRAY, "12", "0-3", 4, "2026-01-01T00:00Z"));
        log.append(new JobLog.Entry(JobLog.Kind.MERGE, "13", null, 4, "2026-01-01T00:00Z"));
        log.append(new JobLog.Entry(JobLog.Kind.ARRAY, "20", "1,3", 4, "2026-01-01T01:00Z"));
        List<JobLog.Entry> e = new JobLog(tmp.resolve("slurm")).read();
        assertEquals(3, e.size());
        assertEquals("-", e.get(1).array());
        assertEquals(new TreeSet<>(List.of(1, 3)), e.get(2).indices());
        assertTrue(e.get(1).indices().isEmpty());
        assertEquals("20", log.lastArray().jobId());
        assertThrows(IllegalArgumentException.class, () -> new JobLog.Entry(JobLog.Kind.ARRAY, "12;c", "0", 1, "t"));
    }
}
