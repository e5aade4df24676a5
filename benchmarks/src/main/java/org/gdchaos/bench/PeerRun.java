package org.gdchaos.bench;

import java.util.Arrays;
import java.util.Locale;

import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.data.Dataset;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.gdchaos.train.TrainConfig;
import org.gdchaos.train.Trainer;

/**
 * The gdchaos side of {@code peers/compare.sh}: full-batch GD of T networks on the first N samples
 * of the embedded MNIST subset, learning rates {@link Workloads#learningRates}(T), zero biases.
 * {@code --model mlp} (default): the paper MLP 784-64-10 (tanh, cross-entropy), N(0, 1) weights —
 * the workload of {@code peers/torch_batched.py} and {@code peers/torch_per_network.py};
 * {@code --model cnn}: the small CNN {@link Workloads#cnnModel()}, Xavier-normal weights — the
 * workload of {@code peers/torch_cnn_batched.py}. Runs {@code warmup} untimed steps, then
 * {@code steps} timed ones, and prints one JSON line: {@code trajectory-steps/s = T·steps / elapsed},
 * plus the median step time and GFLOP/s by {@link org.gdchaos.nn.ModelSpec#flopsPerSample()}.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar org.gdchaos.bench.PeerRun
 *      [--model mlp|cnn] [--backend java] [--dtype f64] [--n 10000] [--t 64] [--steps 3] [--warmup 1]</pre>
 */
public final class PeerRun {
    private PeerRun() {
    }

    public static void main(String[] args) {
        StepArgs a = StepArgs.parse(args, new StepArgs("mlp", "java", "f64", 10_000, 64, 3, 1));
        String backend = a.backend(), dtype = a.dtype(), model = a.model();
        int n = a.n(), t = a.t(), steps = a.steps(), warmup = a.warmup();
        DType dt = Workloads.dtype(dtype);
        ModelSpec spec = Workloads.model(model);
        Dataset d = Workloads.mnist(n);
        try (Backend be = Workloads.backend(backend);
             DeviceData data = Workloads.upload(be, dt, d);
             Ensemble e = Workloads.ensemble(be, dt, spec, t, t, Workloads.learningRates(t));
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
            double flops = spec.flopsPerSample() * n * t * steps;
            System.out.println(String.format(Locale.ROOT,
                    "{\"impl\": \"gdchaos-%s\", \"model\": \"%s\", \"device\": \"%s\", \"dtype\": \"%s\", \"n\": %d, \"t\": %d, "
                            + "\"steps\": %d, \"seconds\": %.4f, \"median_step_s\": %.4f, "
                            + "\"traj_steps_per_s\": %.3f, \"gflops\": %.3f, \"loss_first_traj\": %.6g}",
                    backend, spec.isMlp() ? "mlp" : "cnn", be.device().replace("\"", "'"), dt.label(), n, t, steps, elapsed, median,
                    t * steps / elapsed, flops / elapsed * 1e-9, loss == null ? Double.NaN : loss[0]));
        }
    }
}
