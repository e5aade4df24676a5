package org.gdchaos.sweep.store;

import org.gdchaos.sweep.Cell;

import java.util.List;
import org.gdchaos.sweep.store.Column.Type;

/**
 * The documented columns of {@code curves.csv} ({@link ResultStore#append} writes it): one line per
 * cell and step 0 … S, the cell's keys, then its curves by name — the training loss and test
 * accuracy, the Lyapunov method's curves ({@link org.gdchaos.lyapunov.Tracker#curveNames()}) and
 * those of the extra measurements. Missing values are {@code NaN}.
 */
public final class CurvesCsv {
    /** The key columns every line starts with, in order (a GD sweep's; see {@link #keys}). */
    public static final String KEYS = "lr_index,lr,wd_index,weight_decay,init,step";

    private CurvesCsv() {
    }

    /** The key columns of a curves.csv written before weight decay was a grid axis. */
    static final String KEYS_BEFORE_WEIGHT_DECAY = "lr_index,lr,init,step";

    /** Whether curves.csv lines (header first) have the key columns of before weight decay. */
    static boolean isBeforeWeightDecay(List<String> lines) {
        return !lines.isEmpty() && (lines.get(0).equals(KEYS_BEFORE_WEIGHT_DECAY)
                || lines.get(0).startsWith(KEYS_BEFORE_WEIGHT_DECAY + ","));
    }

    /**
     * Lines of a curves.csv from before weight decay in today's form: {@code wd_index} 0 and
     * {@code weight_decay} 0.0 after {@code lr} (a line with fewer than three fields is kept as it is).
     */
    private static List<String> addWeightDecayColumns(List<String> lines) {
        List<String> up = new java.util.ArrayList<>();
        up.add(KEYS + lines.get(0).substring(KEYS_BEFORE_WEIGHT_DECAY.length()));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", 3);
            up.add(f.length < 3 ? l : f[0] + "," + f[1] + ",0,0.0," + f[2]);
        }
        return up;
    }

    /**
     * Lines of a curves.csv of a non-GD sweep written before the momentum axis ({@link #KEYS}) in
     * {@code format}'s form: the optimizer's label, momentum index 0 and its β after {@code weight_decay};
     * other lines are returned as they are.
     */
    private static List<String> addOptimizerColumns(List<String> lines, ResultsCsv format) {
        if (!format.optimizerColumns() || lines.isEmpty() || !lines.get(0).startsWith(KEYS + ",")) return lines;
        org.gdchaos.backend.Optimizer o = format.optimizer();
        String add = o.label().replace(',', ';') + ",0," + Csv.num(o.beta1());
        List<String> up = new java.util.ArrayList<>();
        up.add(KEYS_WITH_OPTIMIZER + lines.get(0).substring(KEYS.length()));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", 5);
            up.add(f.length < 5 ? l : f[0] + "," + f[1] + "," + f[2] + "," + f[3] + "," + add + "," + f[4]);
        }
        return up;
    }

    /**
     * Reads a curves.csv (any of its key layouts: {@link #KEYS}, {@link #KEYS_WITH_OPTIMIZER}, or
     * {@link #KEYS_BEFORE_WEIGHT_DECAY}; one line per cell and step, steps 0 … S in order) into per-cell
     * curves keyed by {@link Cell#identity()} (a file without a {@code momentum} column: {@code absentMomentum},
     * the sweep's optimizer's β), each by curve name; a missing file reads as no curves.
     *
     * @throws IllegalStateException for a line with another number of fields than the header
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public static java.util.Map<Cell.Identity, java.util.Map<String, double[]>> read(java.nio.file.Path file,
                                                                                 double absentMomentum) {
        java.util.Map<Cell.Identity, java.util.Map<String, double[]>> out = new java.util.HashMap<>();
        if (!java.nio.file.Files.exists(file)) return out;
        java.util.Map<Cell.Identity, List<double[]>> lines = new java.util.LinkedHashMap<>();
        String[] names;
        try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) return out;
            String[] h = header.split(",");
            int first = firstCurve(h);
            names = java.util.Arrays.copyOfRange(h, first, h.length);
            for (String l = in.readLine(); l != null; l = in.readLine()) {
                if (l.isEmpty()) continue;
                String[] f = l.split(",");
                if (f.length != h.length) throw new IllegalStateException(file + ": a line has " + f.length
                        + " fields, the header " + h.length);
                double[] v = new double[names.length];
                for (int i = 0; i < v.length; i++) v[i] = Double.parseDouble(f[first + i]);
                lines.computeIfAbsent(identity(h, f, absentMomentum), k -> new java.util.ArrayList<>()).add(v);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (java.util.Map.Entry<Cell.Identity, List<double[]>> e : lines.entrySet()) {
            List<double[]> steps = e.getValue();
            java.util.Map<String, double[]> m = new java.util.LinkedHashMap<>();
            for (int j = 0; j < names.length; j++) {
                double[] c = new double[steps.size()];
                for (int s = 0; s < c.length; s++) c[s] = steps.get(s)[j];
                m.put(names[j], c);
            }
            out.put(e.getKey(), m);
        }
        return out;
    }

    /**
     * Lines of a curves.csv of any earlier layout in {@code format}'s form, the one place the readers
     * (resume, merge) upgrade them: before weight decay ({@link #addWeightDecayColumns}), then a non-GD
     * sweep's before the momentum axis ({@link #addOptimizerColumns}); lines of today's layout are
     * returned as they are.
     */
    public static List<String> upgrade(List<String> lines, ResultsCsv format) {
        return addOptimizerColumns(isBeforeWeightDecay(lines) ? addWeightDecayColumns(lines) : lines, format);
    }

    /** Index of the first curve column: the one after {@code step}. */
    public static int firstCurve(String[] header) {
        int s = Csv.indexOf(header, "step");
        if (s < 0) throw new IllegalArgumentException("curves header without a step column: " + String.join(",", header));
        return s + 1;
    }

    /**
     * The {@link Cell#identity()} of a line's fields under {@code header} ({@link Csv#identity}: no
     * {@code weight_decay}: 0; no {@code momentum}: {@code absentMomentum}, the sweep's optimizer's β).
     */
    public static Cell.Identity identity(String[] header, String[] fields, double absentMomentum) {
        return Csv.identity(header, fields, absentMomentum);
    }

    /**
     * The key columns of {@code format}'s curves.csv: {@link #KEYS}, and with an optimizer other than GD
     * {@link #KEYS_WITH_OPTIMIZER} (the optimizer, momentum index and β after the weight decay).
     */
    static String keys(ResultsCsv format) {
        return format.optimizerColumns() ? KEYS_WITH_OPTIMIZER : KEYS;
    }

    /** The key columns of a sweep whose optimizer is not GD. */
    public static final String KEYS_WITH_OPTIMIZER = "lr_index,lr,wd_index,weight_decay,optimizer,momentum_index,"
            + "momentum,init,step";

    /** Every column curves.csv can have, in file order; which curves appear depends on the method and extras. */
    public static List<Column> documented() {
        return List.of(
                new Column("lr_index", Type.INT, "index of the learning rate in the grid"),
                new Column("lr", Type.DOUBLE, "the learning rate η"),
                new Column("wd_index", Type.INT, "index of the weight decay in the grid (`--weight-decay`)"),
                new Column("weight_decay", Type.DOUBLE, "the weight decay λ"),
                new Column("optimizer", Type.TEXT, "with an optimizer other than GD: the cell's optimizer, as in "
                        + "results.csv"),
                new Column("momentum_index", Type.INT, "with an optimizer other than GD: index of the momentum "
                        + "coefficient in the grid (`--momentum`)"),
                new Column("momentum", Type.DOUBLE, "with an optimizer other than GD: the cell's β (Adam's β1)"),
                new Column("init", Type.INT, "initialisation index"),
                new Column("step", Type.INT, "GD step t = 0 … S (the state after t updates)"),
                new Column("loss", Type.DOUBLE, "loss of the reference at its weights after t steps, as the "
                        + "next step computed it (full batch: the training loss; minibatch: that minibatch's); at "
                        + "step S the full training loss (= `final_loss`). The data loss: without the "
                        + "weight-decay penalty"),
                new Column("test_acc", Type.DOUBLE, "test accuracy of the reference where evaluated (every "
                        + "`--eval-every` steps and at step S), NaN elsewhere and for single-output models"),
                new Column("ln_d_l1", Type.DOUBLE, "paper: ln of the mean L1 distance between the reference and "
                        + "its replicas (−Infinity when every replica coincides with it)"),
                new Column("ln_d_l2", Type.DOUBLE, "paper: the same in L2"),
                new Column("lambda_running", Type.DOUBLE, "benettin: the running estimate of λ1 after each counted "
                        + "renormalisation (NaN elsewhere, and from the step precision was lost on)"),
                new Column("lambda_k_running", Type.DOUBLE, "spectrum/tangent: the running estimates, sorted "
                        + "descending at each step (curve k follows `lambda_k`)"),
                new Column("sharpness", Type.DOUBLE, "with `--sharpness-every N`: the top Hessian eigenvalue "
                        + "every N steps (NaN elsewhere); with Adam the preconditioned sharpness, NaN at step 0"),
                new Column("imbalance", Type.DOUBLE, "with `--balance`: `imbalance` at each step"),
                new Column("balance_q", Type.DOUBLE, "with `--balance`: `balance_q` at each step"));
    }
}
