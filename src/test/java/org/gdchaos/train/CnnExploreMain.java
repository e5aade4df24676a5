package org.gdchaos.train;

import java.util.Locale;
import org.gdchaos.api.Gdchaos;
import org.gdchaos.api.LearningRateSummary;
import org.gdchaos.api.Sweep;
import org.gdchaos.api.SweepResults;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.Shape;

/** Exploration of a CNN preset's grid (not a test): args arch lrs(comma) inits replicas steps train dtype. */
public final class CnnExploreMain {
    private CnnExploreMain() {
    }

    public static void main(String[] a) {
        ModelSpec spec = ModelSpec.parse(a[0], new Shape(28, 28, 1), true, Loss.CROSS_ENTROPY);
        double[] lrs = java.util.Arrays.stream(a[1].split(",")).mapToDouble(Double::parseDouble).toArray();
        Sweep sweep = Sweep.builder().data("mnist-10k").trainSize(Integer.parseInt(a[5])).testSize(1000).model(spec)
                .init(InitSpec.parse("xavier")).learningRates(lrs).inits(Integer.parseInt(a[2]))
                .replicas(Integer.parseInt(a[3])).steps(Integer.parseInt(a[4])).accuracyThreshold(0.7)
                .dtype(a[6].equals("f32") ? DType.F32 : DType.F64).build();
        long t0 = System.nanoTime();
        try (Backend b = Gdchaos.openBackend("java", sweep.dtype())) {
            SweepResults r = sweep.on(b).run();
            for (LearningRateSummary s : r.summary()) {
                System.out.printf(Locale.ROOT, "lr %.3f  lambda1 %.4f [%.4f, %.4f]  steps %.1f  reached %.2f  acc %.3f  div %.2f%n", s.lr(), s.lambda1Mean(), s.lambda1CiLow(), s.lambda1CiHigh(), s.medianStepsToThreshold(), s.reachedFraction(), s.testAccuracyMean(), s.divergedFraction());
            }
        }
        System.out.printf(Locale.ROOT, "%.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
