package org.gdchaos.bench;

import java.util.Arrays;
import java.util.Locale;

import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.data.Dataset;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.gdchaos.train.TrainConfig;
import org.gdchaos.train.Trainer;

/**
 * The gdchaos side of {@code peers/compare.sh}: full-batch GD of T paper MLPs (784-64-10 tanh,
 * cross-entropy) on the first N samples of the embedded MNIST subset, learning rates
 * {@link Workloads#learningRates}(T), N(0, 1) weights and zero biases — the workload of
 * {@code peers/torch_batched.py} and {@code peers/torch_per_network.py}. Runs {@code warmup}
 * untimed steps, then {@code steps} timed ones, and prints one JSON line:
 * {@code trajectory-steps/s = T·steps / elapsed}, plus the median step time.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar org.gdchaos.bench.PeerRun
 *      [--backend java] [--dtype f64] [--n 10000] [--t 64] [--steps 3] [--warmup 1]</pre>
 */
public final class PeerRun {
    private PeerRun() {
    }

    public static void main(String[] args) {
        String backend = "java", dtype = "f64";
        int n = 10_000, t = 64, steps = 3, warmup = 1;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) throw new IllegalArgumentException("missing value after " + args[i]);
            String v = args[i + 1];
            switch (args[i]) {
                case "--backend" -> backend = v;
                case "--dtype" -> dtype = v;
                case "--n" -> n = Integer.parseInt(v);
                case "--t" -> t = Integer.parseInt(v);
                case "--steps" -> steps = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use --backend --dtype --n --t --steps --warmup)");
            }
        }
        if (steps < 1 || t < 1 || warmup < 0) throw new IllegalArgumentException("steps, t ≥ 1 and warmup ≥ 0");
        DType dt = Workloads.dtype(dtype);
        Dataset d = Workloads.mnist(n);
        try (Backend be = Workloads.backend(backend);
             DeviceData data = Workloads.upload(be, dt, d);
             Ensemble e = Workloads.paperEnsemble(be, dt, t, t, Workloads.learningRates(t));
             Trainer trainer = new Trainer(e, data, TrainConfig.fullBatchGd())) {
            double[] loss0 = null;
            for (int s = 0; s < warmup; s++) loss0 = trainer.step();
            double[] times = new double[steps];
            double[] loss = null;
            long start = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                long t0 = System.nanoTime();
                loss = trainer.step(); // returns after the device finished (losses downloaded)
                times[s] = (System.nanoTime() - t0) * 1e-9;
            }
            double elapsed = (System.nanoTime() - start) * 1e-9;
            Arrays.sort(times);
            double median = times[steps / 2];
            double flops = Workloads.paperModel().flopsPerSample() * n * t * steps;
            System.out.println(String.format(Locale.ROOT,
                    "{\"impl\": \"gdchaos-%s\", \"device\": \"%s\", \"dtype\": \"%s\", \"n\": %d, \"t\": %d, "
                            + "\"steps\": %d, \"seconds\": %.4f, \"median_step_s\": %.4f, "
                            + "\"traj_steps_per_s\": %.3f, \"gflops\": %.3f, \"loss_first_traj\": %.6g}",
                    backend, be.device().replace("\"", "'"), dt.label(), n, t, steps, elapsed, median,
                    t * steps / elapsed, flops / elapsed * 1e-9, loss == null ? Double.NaN : loss[0]));
        }
    }
}
