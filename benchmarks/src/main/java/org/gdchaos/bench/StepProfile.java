package org.gdchaos.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.View;
import org.gdchaos.data.Dataset;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.gdchaos.train.TrainConfig;
import org.gdchaos.train.Trainer;

/**
 * Where does a training step's time go? Runs the {@link PeerRun} workload ({@code --model mlp|cnn})
 * on a backend wrapped in a timing proxy: every {@link Backend} call is timed (wall clock; on an
 * asynchronous backend, OpenCL or CUDA, each timed call is followed by a one-element download, which
 * returns only when the call has finished — so the call's time is its own, and the step is slower
 * than unprofiled by the round trips) and accounted under its method and shape
 * (GEMM: batch × m×n×k, transposes, beta, which operand is shared; im2col/col2im/pool: the
 * {@code ConvShape}/{@code PoolShape} and batch; element-wise calls: batch, rows, cols). Prints,
 * per distinct call, calls per step, ms per call, ms per step, share of the step, and GFLOP/s for
 * GEMMs. Not a JMH benchmark: a quick harness to find the hot primitive, warm-up steps first.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar org.gdchaos.bench.StepProfile
 *      [--model cnn] [--backend java] [--dtype f32] [--n 1000] [--t 64] [--steps 3] [--warmup 2]</pre>
 */
public final class StepProfile {
    private StepProfile() {
    }

    /** Accumulated time of one kind of call. */
    private static final class Entry {
        long calls;
        long nanos;
        double flops;
    }

    public static void main(String[] args) {
        StepArgs a = StepArgs.parse(args, new StepArgs("cnn", "java", "f32", 1000, 64, 3, 2));
        String backend = a.backend(), dtype = a.dtype(), model = a.model();
        int n = a.n(), t = a.t(), steps = a.steps(), warmup = a.warmup();
        DType dt = Workloads.dtype(dtype);
        ModelSpec spec = Workloads.model(model);
        Dataset d = Workloads.mnist(n);
        Map<String, Entry> table = new LinkedHashMap<>();
        boolean[] recording = {false};
        Backend real = Workloads.backend(backend);
        org.gdchaos.backend.Buffer sync = real.name().equals("java") ? null : real.allocate(dt, 1);
        double[] one = new double[1];
        InvocationHandler timer = (proxy, method, margs) -> {
            if (!recording[0] || method.getDeclaringClass() == Object.class) return invoke(method, real, margs);
            long t0 = System.nanoTime();
            Object r = invoke(method, real, margs);
            if (sync != null && !method.getName().equals("download")) real.download(sync, 0, one, 0, 1);
            long dtNanos = System.nanoTime() - t0;
            Entry e = table.computeIfAbsent(key(method.getName(), margs), k -> new Entry());
            e.calls++;
            e.nanos += dtNanos;
            if (margs != null && margs.length > 0 && margs[0] instanceof GemmShape g) e.flops += g.flops();
            return r;
        };
        Backend be = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, timer);
        try (real;
             DeviceData data = Workloads.upload(be, dt, d);
             Ensemble e = Workloads.ensemble(be, dt, spec, t, t, Workloads.learningRates(t));
             Trainer trainer = new Trainer(e, data, TrainConfig.fullBatchGd())) {
            for (int s = 0; s < warmup; s++) trainer.step();
            recording[0] = true;
            long start = System.nanoTime();
            for (int s = 0; s < steps; s++) trainer.step();
            double stepMs = (System.nanoTime() - start) * 1e-6 / steps;
            recording[0] = false;
            print(table, steps, stepMs, spec, dt, n, t, real.device());
        }
    }

    private static Object invoke(java.lang.reflect.Method m, Backend real, Object[] a) throws Throwable {
        try {
            return m.invoke(real, a);
        } catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
    }

    /** The accounting key of one call: method and its shape-like arguments; views only say "shared" (stride 0). */
    static String key(String method, Object[] a) {
        StringBuilder sb = new StringBuilder(method);
        if (a == null) return sb.toString();
        List<String> parts = new ArrayList<>();
        char view = 'A';
        for (Object o : a) {
            if (o instanceof GemmShape g) {
                parts.add(String.format(Locale.ROOT, "%d×(%d×%d·%d×%d)%s%s β=%s", g.batch(), g.m(), g.k(), g.k(), g.n(),
                        g.transA() ? " Aᵀ" : "", g.transB() ? " Bᵀ" : "", g.beta() == 0 ? "0" : "1"));
            } else if (o instanceof View v) {
                if (v.stride() == 0) parts.add(view + " shared");
                view++;
            } else if (o instanceof Integer || o instanceof Enum<?> || o instanceof Record) {
                parts.add(String.valueOf(o));
            }
        }
        if (!parts.isEmpty()) sb.append(' ').append(String.join(", ", parts));
        return sb.toString();
    }

    private static void print(Map<String, Entry> table, int steps, double stepMs, ModelSpec spec, DType dt, int n, int t,
                              String device) {
        System.out.printf(Locale.ROOT, "%s, %s, N=%d, T=%d, %s: %.1f ms per step (%.1f trajectory-steps/s)%n",
                spec, dt.label(), n, t, device, stepMs, t * 1000.0 / stepMs);
        List<Map.Entry<String, Entry>> rows = new ArrayList<>(table.entrySet());
        rows.sort((x, y) -> Long.compare(y.getValue().nanos, x.getValue().nanos));
        double inBackend = 0;
        System.out.printf(Locale.ROOT, "%8s %10s %10s %6s %8s  %s%n", "calls/st", "ms/call", "ms/step", "share", "GFLOP/s",
                "call");
        for (Map.Entry<String, Entry> r : rows) {
            Entry e = r.getValue();
            double perStep = e.nanos * 1e-6 / steps;
            inBackend += perStep;
            System.out.printf(Locale.ROOT, "%8.1f %10.3f %10.2f %5.1f%% %8s  %s%n", (double) e.calls / steps,
                    e.nanos * 1e-6 / e.calls, perStep, 100 * perStep / stepMs,
                    e.flops > 0 ? String.format(Locale.ROOT, "%.1f", e.flops / e.nanos) : "", r.getKey());
        }
        System.out.printf(Locale.ROOT, "backend calls %.1f ms of %.1f ms per step (%.1f%%); the rest is host code%n",
                inBackend, stepMs, 100 * inBackend / stepMs);
    }
}
