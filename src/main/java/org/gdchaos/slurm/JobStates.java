package org.gdchaos.slurm;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * States of a job's tasks from {@code scontrol -o show job ID} lines ({@code JobId=… ArrayJobId=…
 * ArrayTaskId=… JobState=…}). An array's pending tasks share one record whose {@code ArrayTaskId}
 * is a list such as {@code 2-3}; a non-array job reports {@code ArrayTaskId} absent and gets index −1.
 */
public final class JobStates {
    /** States in which a task will still run or is running. */
    public static final Set<String> ACTIVE = Set.of("PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED",
            "REQUEUED", "REQUEUE_FED", "REQUEUE_HOLD", "RESIZING", "SIGNALING", "STAGE_OUT", "RESV_DEL_HOLD");
    private static final Pattern TASK = Pattern.compile("(?:^|\\s)ArrayTaskId=(\\S+)");
    private static final Pattern STATE = Pattern.compile("(?:^|\\s)JobState=(\\S+)");
    private static final Pattern REASON = Pattern.compile("(?:^|\\s)Reason=(\\S+)");

    private JobStates() {
    }

    /** One task's state. */
    public record TaskState(String state, String reason) {
        public boolean active() {
            return ACTIVE.contains(state);
        }

        @Override
        public String toString() {
            return reason == null || reason.equals("None") ? state : state + " (" + reason + ")";
        }
    }

    /** State by array index (−1 for a non-array job). */
    public static Map<Integer, TaskState> parse(List<String> lines) {
        Map<Integer, TaskState> out = new TreeMap<>();
        for (String l : lines) {
            Matcher st = STATE.matcher(l);
            if (!st.find()) continue;
            Matcher re = REASON.matcher(l);
            TaskState ts = new TaskState(st.group(1), re.find() ? re.group(1) : null);
            Matcher t = TASK.matcher(l);
            if (!t.find() || t.group(1).equals("N/A")) {
                out.put(-1, ts);
            } else {
                for (int i : ArrayIndices.parse(t.group(1))) out.put(i, ts);
            }
        }
        return out;
    }

    /** Whether a state means the task will not run (again): anything not {@link #ACTIVE}. */
    public static boolean finished(String state) {
        return !ACTIVE.contains(state);
    }
}
