package org.gdchaos.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.gdchaos.sweep.run.Plan;
import org.gdchaos.sweep.run.ProgressListener;

/**
 * Draws sweep progress: on a terminal a single updating bar with throughput and ETA (at most
 * ~5 redraws per second); otherwise plain lines at each finished batch and every 10%.
 */
final class ProgressPrinter implements ProgressListener {
    private final PrintWriter out;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastDecile = -1;

    ProgressPrinter(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void planned(Plan plan, int cellsAlreadyDone) {
        if (cellsAlreadyDone > 0) out.println("resume: " + cellsAlreadyDone + " cells already done, skipped");
        out.println("plan: " + plan.description());
        out.flush();
    }

    @Override
    public void advanced(long done, long total) {
        long now = System.nanoTime();
        double secs = (now - start) / 1e9;
        double rate = secs > 0 ? done / secs : 0;
        double frac = total > 0 ? (double) done / total : 1;
        if (terminal) {
            if (now - lastDraw < 200_000_000L && done < total) return;
            lastDraw = now;
            int width = 30;
            int filled = (int) Math.round(frac * width);
            out.print(String.format(Locale.ROOT, "\r[%s%s] %5.1f%%  %,.0f traj-steps/s  ETA %s   ",
                    "#".repeat(filled), ".".repeat(width - filled), 100 * frac, rate, eta(rate, total - done)));
            if (done >= total) out.println();
            out.flush();
        } else {
            int decile = (int) Math.floor(frac * 10);
            if (decile != lastDecile) {
                lastDecile = decile;
                out.println(String.format(Locale.ROOT, "progress: %3.0f%% (%d/%d trajectory-steps, %.0f/s, ETA %s)",
                        100 * frac, done, total, rate, eta(rate, total - done)));
                out.flush();
            }
        }
    }

    @Override
    public void batchDone(int batchIndex, int batches, int cellsInBatch) {
        if (!terminal) {
            out.println("batch " + batchIndex + "/" + batches + " done (" + cellsInBatch + " cells saved)");
            out.flush();
        }
    }

    private static String eta(double rate, long left) {
        if (rate <= 0) return "?";
        long s = Math.round(left / rate);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
