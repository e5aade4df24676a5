package org.gdchaos.backend.cuda;

import java.util.ArrayDeque;
import java.util.Locale;

/**
 * The work queued on the stream since the last successful synchronise, as a ring of the last
 * {@link #CAPACITY} descriptions (kernel name, dtype, geometry) plus a total count. CUDA reports
 * a kernel fault only at a later synchronise; the ring names the suspects. Cheap: a launch is
 * kept as the object that was queued and turned into text only when it is reported.
 */
final class LaunchLog {
    /** Descriptions kept. */
    static final int CAPACITY = 16;

    private final ArrayDeque<Object> ring = new ArrayDeque<>(CAPACITY);
    private long count;

    /**
     * Records one queued launch: a {@link KernelLaunch}, or any object whose {@code toString()}
     * describes it (read only when {@link #describe()} reports it).
     */
    void add(Object launch) {
        if (ring.size() == CAPACITY) ring.removeFirst();
        ring.addLast(launch);
        count++;
    }

    /** Forgets everything (after a successful synchronise). */
    void clear() {
        ring.clear();
        count = 0;
    }

    /** Launches queued since the last clear. */
    long count() {
        return count;
    }

    /** E.g. "3 launches: a, b, c" or "40 launches, the last 16 (oldest first): …"; "nothing" when empty. */
    String describe() {
        if (count == 0) return "no kernel or GEMM";
        String head = count <= CAPACITY ? count + (count == 1 ? " launch: " : " launches: ")
                : String.format(Locale.ROOT, "%d launches, the last %d (oldest first): ", count, ring.size());
        StringBuilder sb = new StringBuilder(head);
        String sep = "";
        for (Object o : ring) {
            sb.append(sep).append(text(o));
            sep = ", ";
        }
        return sb.toString();
    }

    /** A recorded launch as text: {@link #describe(KernelLaunch)} for a kernel, else its {@code toString()}. */
    static String text(Object launch) {
        return launch instanceof KernelLaunch l ? describe(l) : String.valueOf(launch);
    }

    /** One launch described for messages: {@code name (f32, grid (x, y, z), block (x, y, z))}. */
    static String describe(KernelLaunch l) {
        return l.kernel() + " (" + l.dtype().label() + ", grid " + dim(l.grid()) + ", block " + dim(l.block()) + ")";
    }

    private static String dim(KernelLaunch.Dim3 d) {
        return "(" + d.x() + ", " + d.y() + ", " + d.z() + ")";
    }
}
