package org.gdchaos.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gdchaos.lyapunov.Method;

/**
 * The curves plot's data, read back from {@code curves.csv}: per learning rate, the mean over
 * initialisations (finite values only) of the first Lyapunov curve — {@code ln_d_<norm>} for the
 * paper method, else the first {@code lambda_*} column — at every step. Same rule as the
 * single-process sweep, so a merged sweep draws the same figure.
 */
final class CurveMeans {
    private CurveMeans() {
    }

    /** y-axis label of the curves plot. */
    static String label(SweepSpec spec) {
        return spec.lyapunov().method() == Method.PAPER
                ? "ln ⟨d(t)⟩ (" + spec.lyapunov().norm().label() + ")" : "running λ1 estimate";
    }

    /** Mean curve per learning rate (ascending lr); empty when the file or the column is absent. */
    static Map<Double, double[]> fromCsv(Path f, SweepSpec spec) {
        if (!Files.exists(f)) return Map.of();
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            if (lines.size() < 2) return Map.of();
            String[] header = lines.get(0).split(",");
            String want = spec.lyapunov().method() == Method.PAPER ? "ln_d_" + spec.lyapunov().norm().label() : null;
            int col = -1;
            for (int i = 4; i < header.length && col < 0; i++) {
                if (want != null ? header[i].equals(want) : header[i].startsWith("lambda_")) col = i;
            }
            if (col < 0) return Map.of();
            Map<Double, Map<Integer, double[]>> sums = new TreeMap<>();
            for (String l : lines.subList(1, lines.size())) {
                String[] v = l.split(",");
                double y = Double.parseDouble(v[col]);
                double[] acc = sums.computeIfAbsent(Double.parseDouble(v[1]), k -> new TreeMap<>())
                        .computeIfAbsent(Integer.parseInt(v[3]), k -> new double[2]);
                if (Double.isFinite(y)) {
                    acc[0] += y;
                    acc[1]++;
                }
            }
            Map<Double, double[]> out = new LinkedHashMap<>();
            for (Map.Entry<Double, Map<Integer, double[]>> e : sums.entrySet()) {
                double[] m = new double[e.getValue().size()];
                int i = 0;
                for (double[] a : e.getValue().values()) m[i++] = a[1] > 0 ? a[0] / a[1] : Double.NaN;
                out.put(e.getKey(), m);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }
}
