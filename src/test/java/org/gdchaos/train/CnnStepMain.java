package org.gdchaos.train;

import java.util.Locale;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.data.DataSplit;
import org.gdchaos.data.EmbeddedMnist;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.ParameterLayout;
import org.gdchaos.nn.Shape;

/**
 * Time of full-batch GD steps of a CNN on the embedded MNIST (not a test; a measurement for
 * profiling the hot path; the committed benchmark is benchmarks/…/CnnStepBench).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp <test-classes>:<classes>:<deps>
 * org.gdchaos.train.CnnStepMain [backend] [f32|f64] [T] [N] [steps] [arch]}
 */
public final class CnnStepMain {
    private CnnStepMain() {
    }

    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "java";
        DType dt = args.length > 1 && args[1].equals("f64") ? DType.F64 : DType.F32;
        int t = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        int steps = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        String arch = args.length > 5 ? args[5] : "conv:4@5x5,tanh,avgpool:2,conv:8@5x5,tanh,avgpool:2,dense:10";
        ModelSpec spec = ModelSpec.parse(arch, new Shape(28, 28, 1), true, Loss.CROSS_ENTROPY);
        DataSplit split = new EmbeddedMnist().load(n, 1);
        var tr = split.train();
        boolean profile = System.getProperty("profile") != null;
        java.util.Map<String, double[]> prof = new java.util.TreeMap<>();
        Backend raw = Backends.create(name);
        Backend pb = !profile ? raw : (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(),
                new Class<?>[] {Backend.class}, (proxy, m, a) -> {
                    long t0 = System.nanoTime();
                    try {
                        return m.invoke(raw, a);
                    } catch (java.lang.reflect.InvocationTargetException ex) {
                        throw ex.getCause();
                    } finally {
                        String key = m.getName() + (a != null && a.length > 0 && !(a[0] instanceof org.gdchaos.backend.Buffer)
                                && !(a[0] instanceof double[]) ? " " + a[0] : "");
                        double[] v = prof.computeIfAbsent(key, k -> new double[2]);
                        v[0] += (System.nanoTime() - t0) / 1e6;
                        v[1]++;
                    }
                });
        try (Backend b = pb;
             DeviceData d = DeviceData.upload(b, dt, tr.x(), tr.y(), tr.n(), tr.features(), tr.outputs());
             Ensemble e = new Ensemble(b, dt, spec, t);
             Trainer trainer = new Trainer(e, d, new TrainConfig(0, 0, 0))) {
            java.util.Random r = new java.util.Random(1);
            int p = (int) new ParameterLayout(spec).size();
            double[] lr = new double[t];
            for (int i = 0; i < t; i++) {
                double[] w = org.gdchaos.nn.InitSpec.parse("xavier").draw(e.layout(), r);
                e.setParameters(i, w);
                lr[i] = 0.05;
            }
            e.setLearningRates(lr);
            trainer.step();
            trainer.step();
            prof.clear();
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) trainer.step();
            double sec = (System.nanoTime() - t0) / 1e9 / steps;
            System.out.printf(Locale.ROOT, "%s %s T=%d N=%d P=%d chunk=%d: %.1f ms/step, %.1f traj-steps/s, %.2f GFLOP/s%n",
                    name, dt.label(), t, n, p, trainer.network().chunk(), sec * 1e3, t / sec,
                    spec.flopsPerSample() * n * t / sec / 1e9);
            if (profile) {
                prof.forEach((k, v) -> {
                    if (v[0] / steps > 1) System.out.printf(Locale.ROOT, "  %8.1f ms/step %5.0f calls/step  %s%n", v[0] / steps, v[1] / steps, k);
                });
            }
        }
    }
}
