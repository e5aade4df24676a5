package org.gdchaos.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of {@code results.csv} and the conversion of {@link CellRow}s to and from lines:
 * {@code lr_index, lr, init, lambda_1 … lambda_K, fit_r2, fit_start, fit_end, kaplan_yorke,
 * final_loss, train_acc, test_loss, test_acc, steps_to_threshold, diverged, diverged_step,
 * grad_norm, converged, extras…} ({@code converged}: see {@link CellRow#convergenceTolerance}). {@code steps_to_threshold} is the word {@code never} when the threshold was not reached,
 * and {@code n/a} when accuracy is undefined (single-output models; their {@code train_acc} and
 * {@code test_acc} are {@code NaN}, the files' mark for a missing value).
 */
public final class ResultsCsv {
    /** {@code steps_to_threshold} of a cell that never reached the accuracy threshold. */
    public static final String NEVER = "never";
    /** {@code steps_to_threshold} where accuracy is undefined (single-output models). */
    public static final String NOT_APPLICABLE = "n/a";

    private final int exponents;
    private final List<String> extras;

    /**
     * The results columns of the extra measurements, in order: {@code sharpness} (with K &gt; 1 then
     * {@code hessian_eig_2..K}, descending) when the sharpness is measured at the end or every few
     * steps; {@code gf_sharpness}, {@code gf_final_loss} with the gradient flow; {@code imbalance},
     * {@code balance_q} with the balance. The names are those of the recorder's values
     * ({@link org.gdchaos.hessian.ExtrasRecorder#row}).
     */
    public static List<String> extraColumns(SweepSpec.Extras x) {
        List<String> c = new java.util.ArrayList<>();
        if (x.sharpness() || x.sharpnessEvery() > 0) {
            c.add(org.gdchaos.hessian.ExtrasRecorder.SHARPNESS);
            for (int i = 2; i <= x.sharpnessK(); i++) c.add(org.gdchaos.hessian.CurvatureMeter.eigenvalueColumn(i));
        }
        if (x.flow()) {
            c.add(org.gdchaos.hessian.ExtrasRecorder.GF_SHARPNESS);
            c.add(org.gdchaos.hessian.ExtrasRecorder.GF_FINAL_LOSS);
        }
        if (x.balance()) {
            c.add(org.gdchaos.hessian.ExtrasRecorder.IMBALANCE);
            c.add(org.gdchaos.hessian.ExtrasRecorder.BALANCE_Q);
        }
        return c;
    }

    public ResultsCsv(int exponents, List<String> extras) {
        this.exponents = exponents;
        this.extras = List.copyOf(extras);
    }

    public String header() {
        List<String> h = new ArrayList<>(List.of("lr_index", "lr", "init"));
        for (int i = 1; i <= exponents; i++) h.add("lambda_" + i);
        h.addAll(List.of("fit_r2", "fit_start", "fit_end", "kaplan_yorke", "final_loss", "train_acc", "test_loss",
                "test_acc", "steps_to_threshold", "diverged", "diverged_step", "grad_norm", "converged"));
        h.addAll(extras);
        return Csv.join(h);
    }

    public String line(CellRow r) {
        List<String> v = new ArrayList<>();
        v.add(Integer.toString(r.cell().lrIndex()));
        v.add(Csv.num(r.cell().lr()));
        v.add(Integer.toString(r.cell().init()));
        double[] lam = r.exponents();
        for (int i = 0; i < exponents; i++) v.add(Csv.num(i < lam.length ? lam[i] : Double.NaN));
        v.add(Csv.num(r.fitR2()));
        v.add(Integer.toString(r.fitStart()));
        v.add(Integer.toString(r.fitEnd()));
        v.add(Csv.num(r.kaplanYorke()));
        v.add(Csv.num(r.finalLoss()));
        v.add(Csv.num(r.trainAcc()));
        v.add(Csv.num(r.testLoss()));
        v.add(Csv.num(r.testAcc()));
        v.add(stepsText(r.stepsToThreshold()));
        v.add(Boolean.toString(r.diverged()));
        v.add(Integer.toString(r.divergedStep()));
        v.add(Csv.num(r.gradNorm()));
        v.add(Boolean.toString(r.converged()));
        for (String x : extras) v.add(Csv.num(r.extras().getOrDefault(x, Double.NaN)));
        return Csv.join(v);
    }

    static String stepsText(int steps) {
        return steps == CellRow.NEVER ? NEVER : steps == CellRow.NOT_APPLICABLE ? NOT_APPLICABLE
                : Integer.toString(steps);
    }

    /**
     * Parses a line written by {@link #line}.
     *
     * @throws IllegalArgumentException for a malformed line
     */
    public CellRow parse(String line) {
        String[] f = line.split(",", -1);
        int expected = 3 + exponents + 13 + extras.size();
        if (f.length != expected) {
            throw new IllegalArgumentException("results line has " + f.length + " fields, expected " + expected);
        }
        int i = 0;
        Cell cell = new Cell(Integer.parseInt(f[i++]), Csv.parse(f[i++]), Integer.parseInt(f[i++]));
        double[] lam = new double[exponents];
        for (int k = 0; k < exponents; k++) lam[k] = Csv.parse(f[i++]);
        double r2 = Csv.parse(f[i++]);
        int fs = Integer.parseInt(f[i++]);
        int fe = Integer.parseInt(f[i++]);
        double ky = Csv.parse(f[i++]);
        double fl = Csv.parse(f[i++]);
        double tra = Csv.parse(f[i++]);
        double tel = Csv.parse(f[i++]);
        double tea = Csv.parse(f[i++]);
        String st = f[i++];
        int steps = st.equals(NEVER) ? CellRow.NEVER : st.equals(NOT_APPLICABLE) ? CellRow.NOT_APPLICABLE
                : Integer.parseInt(st);
        boolean div = Boolean.parseBoolean(f[i++]);
        int ds = Integer.parseInt(f[i++]);
        double gn = Csv.parse(f[i++]);
        boolean conv = Boolean.parseBoolean(f[i++]);
        Map<String, Double> ex = new LinkedHashMap<>();
        for (String x : extras) ex.put(x, Csv.parse(f[i++]));
        return new CellRow(cell, lam, r2, fs, fe, ky, fl, tra, tel, tea, steps, div, ds, gn, conv, ex);
    }
}
