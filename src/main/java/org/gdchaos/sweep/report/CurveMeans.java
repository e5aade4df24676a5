package org.gdchaos.sweep.report;

import org.gdchaos.sweep.Cell;

import org.gdchaos.sweep.store.CurvesCsv;
import org.gdchaos.sweep.store.OutputFolderException;
import org.gdchaos.sweep.SweepSpec;

import org.gdchaos.InputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.gdchaos.lyapunov.Method;

/**
 * The curves plots' data, read back from {@code curves.csv}: per learning rate, the mean over
 * initialisations (finite values only) of a Lyapunov curve at every step — {@code ln_d_<norm>} for
 * the paper method, else the running exponents ({@code lambda_running} for benettin,
 * {@code lambda_1_running} and {@code lambda_K_running} for spectrum and tangent). Same rule for
 * a single-process sweep, a merge and {@code gdchaos report}, so all draw the same figure.
 */
final class CurveMeans {
    private CurveMeans() {
    }

    /** Whether the method's curves are running exponents (benettin, spectrum, tangent) rather than ln⟨d(t)⟩. */
    static boolean running(SweepSpec spec) {
        return spec.lyapunov().method() != Method.PAPER;
    }

    /** y-axis label of the (first) curves plot. */
    /** A norm's name in a figure: {@code ℓ1}, {@code ℓ2}, {@code ℓ∞} (a plain "l1" reads as "I1"). */
    static String normName(String label) {
        return label.startsWith("l") ? "ℓ" + label.substring(1).replace("inf", "∞") : label;
    }

    static String label(SweepSpec spec) {
        return !running(spec) ? "ln ⟨d(t)⟩ (" + normName(spec.lyapunov().norm().label()) + " distance)"
                : "running estimate of λ1 (per step)";
    }

    /**
     * The curves.csv columns the figures draw, first one first: {@code ln_d_<norm>} (paper),
     * {@code lambda_running} (benettin: one exponent), {@code lambda_1_running} and, with K &gt; 1
     * exponents, {@code lambda_K_running} (spectrum, tangent). The header decides between the
     * one-exponent and K-exponent names.
     */
    static List<String> columns(SweepSpec spec, List<String> header) {
        if (!running(spec)) return List.of("ln_d_" + spec.lyapunov().norm().label());
        if (header.contains("lambda_running")) return List.of("lambda_running");
        List<String> c = new ArrayList<>();
        if (header.contains("lambda_1_running")) c.add("lambda_1_running");
        int k = spec.lyapunov().reportedExponents();
        if (k > 1 && header.contains("lambda_" + k + "_running")) c.add("lambda_" + k + "_running");
        return c;
    }

    /** Mean curve per learning rate of the first column ({@link #columns}), all rows' cells. */
    static Map<Double, double[]> fromCsv(Path f, SweepSpec spec) {
        Map<String, Map<Double, double[]>> all = fromCsv(f, spec, null);
        return all.isEmpty() ? Map.of() : all.values().iterator().next();
    }

    /**
     * Mean curve per learning rate (ascending lr) of each of {@link #columns}, in that order; empty
     * when the file or the columns are absent. Only cells in {@code cells} ({@link Cell#identity()};
     * null = all) count, so a killed sweep's curves of a cell without a results row are left out;
     * a torn line (wrong field count or not a number) is skipped.
     */
    static Map<String, Map<Double, double[]>> fromCsv(Path f, SweepSpec spec, Set<Cell.Identity> cells) {
        if (!Files.exists(f)) return Map.of();
        try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String head = in.readLine();
            if (head == null) return Map.of();
            List<String> header = List.of(head.split(","));
            String[] headerArray = head.split(",");
            List<String> want = columns(spec, header);
            if (want.isEmpty()) return Map.of();
            int[] cols = want.stream().mapToInt(header::indexOf).toArray();
            int stepColumn = header.indexOf("step");
            double absentMomentum = spec.training().optimizer().beta1();
            // column -> lr -> step -> {Σ, n}
            List<Map<Double, TreeMap<Integer, double[]>>> sums = new ArrayList<>();
            for (int i = 0; i < cols.length; i++) sums.add(new TreeMap<>());
            String l;
            int lineNo = 1;
            while ((l = in.readLine()) != null) {
                lineNo++;
                String[] v = l.split(",", -1);
                if (v.length != header.size()) continue;
                try {
                    if (cells != null && !cells.contains(CurvesCsv.identity(headerArray, v, absentMomentum))) continue;
                    double lr = Double.parseDouble(v[1]);
                    int step = Integer.parseInt(v[stepColumn]);
                    if (step < 0 || step > spec.training().steps()) { // never allocate what a damaged line asks for
                        throw new InputException(f + " line " + lineNo + ": step " + step + " is outside 0.."
                                + spec.training().steps() + " (the sweep's steps): the file is damaged");
                    }
                    for (int i = 0; i < cols.length; i++) {
                        double y = Double.parseDouble(v[cols[i]]);
                        double[] acc = sums.get(i).computeIfAbsent(lr, k -> new TreeMap<>())
                                .computeIfAbsent(step, k -> new double[2]);
                        if (Double.isFinite(y)) {
                            acc[0] += y;
                            acc[1]++;
                        }
                    }
                } catch (NumberFormatException e) {
                    // a torn line of a killed sweep: skipped
                }
            }
            Map<String, Map<Double, double[]>> out = new LinkedHashMap<>();
            for (int i = 0; i < cols.length; i++) {
                Map<Double, double[]> byLr = new LinkedHashMap<>();
                for (Map.Entry<Double, TreeMap<Integer, double[]>> e : sums.get(i).entrySet()) {
                    int len = e.getValue().lastKey() + 1;
                    double[] m = new double[len];
                    java.util.Arrays.fill(m, Double.NaN);
                    for (Map.Entry<Integer, double[]> s : e.getValue().entrySet()) {
                        double[] a = s.getValue();
                        if (s.getKey() >= 0 && a[1] > 0) m[s.getKey()] = a[0] / a[1];
                    }
                    byLr.put(e.getKey(), m);
                }
                if (!byLr.isEmpty()) out.put(want.get(i), byLr);
            }
            return out;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new OutputFolderException(f + " is not UTF-8 text (the file is damaged or was not written by gdchaos)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }
}
