package org.gdchaos.backend.conformance;

import java.util.ArrayList;
import java.util.List;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.Optimizer;

/**
 * Memory and per-trajectory vector cases: upload/download (with rounding to the dtype), copy,
 * fill; {@code update} (w −= lr·g, an lr = 0 entry frozen over a NaN gradient, shared g),
 * {@code optimizerUpdate} (heavy ball, Nesterov, Adam; a frozen entry over a NaN gradient),
 * {@code adamTangent} (a frozen entry over a NaN gradient and product, a coordinate with s' = 0),
 * {@code adamPrecondition} (apart and in place, a coordinate with s = 0),
 * {@code axpby}, {@code scale}; {@code nonFinite} with NaN/±∞ planted in some entries only, at
 * the first, a middle and the last element, and in the gaps between entries (which must not
 * count). Vector lengths 1, 1961 (= 37·53) and 100,003; per-trajectory scalars are views with
 * offset 1 and stride 3.
 */
final class VectorCases {
    private VectorCases() {
    }

    static final long[] LENGTHS = {1, 1961, 100_003};
    /** Layout of per-trajectory scalars (learning rates, factors, sums, flags). */
    static final Layout SCALARS = Layout.spaced(1, 2);

    static List<ConformanceCase> all() {
        List<ConformanceCase> list = new ArrayList<>();
        list.add(uploadDownload("memory/upload-download/1961"));
        list.add(copy("memory/copy/1961"));
        list.add(fill("memory/fill/1961"));
        for (long n : LENGTHS) {
            int batch = n == 1 ? 1 : 5;
            String s = "/n" + n + "/batch" + batch;
            list.add(update("update" + s, batch, n, false));
            list.add(axpby("axpby" + s, batch, n));
            list.add(scale("scale" + s, batch, n));
            list.add(nonFinite("nonFinite" + s + "/planted", n));
        }
        list.add(update("update/n1961/batch5/shared-g", 5, 1961, true));
        for (Optimizer opt : new Optimizer[] {Optimizer.momentum(0.9), Optimizer.nesterov(0.5),
                Optimizer.adam(0.9, 0.999, 1e-3)}) {
            String k = opt.kind().name().toLowerCase(java.util.Locale.ROOT);
            list.add(optimizerUpdate("optimizerUpdate/" + k + "/n1961/batch5", opt, 3, 5, 1961));
            list.add(optimizerUpdate("optimizerUpdate/" + k + "/n1/batch1", opt, 1, 1, 1));
        }
        Optimizer adam = Optimizer.adam(0.9, 0.999, 1e-3);
        list.add(adamTangent("adamTangent/n1961/batch5", adam, 3, 5, 1961));
        list.add(adamTangent("adamTangent/n1/batch1", adam, 1, 1, 1));
        list.add(adamPrecondition("adamPrecondition/n1961/batch5", adam, 3, 5, 1961, false));
        list.add(adamPrecondition("adamPrecondition/n1961/batch5/in-place", adam, 7, 5, 1961, true));
        list.add(adamPrecondition("adamPrecondition/n1/batch1", adam, 1, 1, 1, false));
        return list;
    }

    /**
     * {@code adamPrecondition} at step t: y = x·√(c1/(√(c2·s) + ε)) with s ≥ 0, x, y in spaced
     * layouts (or y = x, in place); a coordinate with s = 0 (D = c1/ε) in the last entry.
     */
    private static ConformanceCase adamPrecondition(String name, Optimizer opt, long t, int batch, long n,
                                                    boolean inPlace) {
        return new DifferentialCase(name, fx -> {
            Operand s = fx.uniform(batch, n, Layout.spaced(1, 3), 0, 2);
            Operand x = fx.uniform(batch, n, Layout.spaced(2, 1));
            Operand y = inPlace ? x : fx.uniform(batch, n, Layout.spaced(3, 2));
            s.set(batch - 1, n - 1, 0.0);
            fx.sync(s);
            fx.backend().adamPrecondition(opt, t, batch, n, s.view(), x.view(), y.view());
            fx.outputElementwise("y", y, 4);
            fx.outputElementwise("s", s, 1);
            if (!inPlace) fx.outputElementwise("x", x, 1);
        });
    }

    /**
     * {@code adamTangent} at step t: the tangent (dw, dm, ds), the product hv and the reference's g,
     * m, s ≥ 0 in spaced layouts; one entry frozen (lr = 0) over a NaN gradient and product, which
     * must leave its tangent untouched; in another entry a coordinate with g = m = s = 0 (s' = 0, a
     * dead unit), where the δs term is 0 (no 0/0).
     */
    private static ConformanceCase adamTangent(String name, Optimizer opt, long t, int batch, long n) {
        return new DifferentialCase(name, fx -> {
            Operand dw = fx.uniform(batch, n, Layout.spaced(2, 3));
            Operand dm = fx.uniform(batch, n, Layout.spaced(3, 2));
            Operand ds = fx.uniform(batch, n, Layout.spaced(1, 4));
            Operand hv = fx.uniform(batch, n, Layout.spaced(2, 1));
            Operand g = fx.uniform(batch, n, Layout.spaced(1, 1));
            Operand m = fx.uniform(batch, n, Layout.spaced(4, 2));
            Operand s = fx.uniform(batch, n, Layout.spaced(1, 3), 0, 2);
            Operand lr = fx.uniform(batch, 1, SCALARS, 0.01, 2);
            int frozen = batch - 2;
            if (frozen >= 0) {
                lr.set(frozen, 0, 0.0);
                g.set(frozen, n / 2, Double.NaN);
                hv.set(frozen, n / 2, Double.NaN);
            }
            if (n > 1) { // s' = 0 at the last coordinate of the last entry
                g.set(batch - 1, n - 1, 0.0);
                m.set(batch - 1, n - 1, 0.0);
                s.set(batch - 1, n - 1, 0.0);
            }
            for (Operand o : new Operand[] {lr, g, hv, m, s}) fx.sync(o);
            fx.backend().adamTangent(opt, t, batch, n, dw.view(), dm.view(), ds.view(), hv.view(), g.view(), m.view(),
                    s.view(), lr.view());
            double b1 = opt.beta1(), b2 = opt.beta2(), c1 = opt.c1(t), c2 = opt.c2(t), eps = opt.epsilon();
            fx.outputMagnitude("dm", dm, () -> {
                double[] mag = Fixture.absHost(dm);
                for (int b = 0; b < batch; b++) {
                    if (lr.get(b, 0) == 0) continue;
                    for (long q = 0; q < n; q++) {
                        mag[dm.index(b, q)] = b1 * Math.abs(dm.get(b, q)) + (1 - b1) * Math.abs(hv.get(b, q));
                    }
                }
                return mag;
            }, 1);
            fx.outputMagnitude("ds", ds, () -> {
                double[] mag = Fixture.absHost(ds);
                for (int b = 0; b < batch; b++) {
                    if (lr.get(b, 0) == 0) continue;
                    for (long q = 0; q < n; q++) {
                        mag[ds.index(b, q)] = b2 * Math.abs(ds.get(b, q))
                                + (1 - b2) * 2 * Math.abs(g.get(b, q) * hv.get(b, q));
                    }
                }
                return mag;
            }, 2);
            fx.outputMagnitude("dw", dw, () -> {
                double[] mag = Fixture.absHost(dw);
                for (int b = 0; b < batch; b++) {
                    double rate = lr.get(b, 0);
                    if (rate == 0) continue;
                    for (long q = 0; q < n; q++) {
                        double gv = g.get(b, q), dg = Math.abs(hv.get(b, q));
                        double mn = Math.abs(b1 * m.get(b, q)) + Math.abs((1 - b1) * gv);
                        double sn = b2 * s.get(b, q) + (1 - b2) * gv * gv;
                        double r = Math.sqrt(c2 * sn), d = r + eps;
                        double dmn = b1 * Math.abs(dm.get(b, q)) + (1 - b1) * dg;
                        double dsn = b2 * Math.abs(ds.get(b, q)) + (1 - b2) * 2 * Math.abs(gv) * dg;
                        double dr = r > 0 ? c2 * dsn / (2 * r) : 0;
                        mag[dw.index(b, q)] += rate * c1 * (dmn + mn * dr / d) / d;
                    }
                }
                return mag;
            }, 8);
            fx.outputElementwise("g", g, 1);
            fx.outputElementwise("m", m, 1);
            fx.outputElementwise("s", s, 1);
        });
    }

    private static ConformanceCase uploadDownload(String name) {
        return new DifferentialCase(name, fx -> {
            Operand buf = fx.uniform(1, 1961, Layout.spaced(7, 5));
            double[] raw = new double[1961];
            for (int i = 0; i < raw.length; i++) raw[i] = fx.rng().nextGaussian() * 1e3; // not pre-rounded
            fx.backend().upload(raw, 3, buf.buffer(), 7 + 3, raw.length - 10);
            double[] back = new double[1961 + 4];
            fx.backend().download(buf.buffer(), 5, back, 2, 1961);
            fx.outputElementwise("downloaded", back, 1);
        });
    }

    private static ConformanceCase copy(String name) {
        return new DifferentialCase(name, fx -> {
            Operand src = fx.uniform(1, 1961, Layout.spaced(3, 2));
            Operand dst = fx.uniform(1, 1961, Layout.spaced(11, 4));
            fx.backend().copy(src.buffer(), 3, dst.buffer(), 11 + 1, 1958);
            fx.backend().copy(src.buffer(), 0, src.buffer(), 1000, 500); // same buffer, disjoint ranges
            fx.outputElementwise("dst", dst, 1);
            fx.outputElementwise("src", src, 1);
        });
    }

    private static ConformanceCase fill(String name) {
        return new DifferentialCase(name, fx -> {
            Operand buf = fx.uniform(1, 1961, Layout.spaced(5, 5));
            fx.backend().fill(buf.buffer(), 6, 1959, 0.1); // 0.1 is not a float: must round for F32
            fx.backend().fill(buf.buffer(), 0, 1, Double.NaN);
            fx.outputElementwise("buffer", buf, 1);
        });
    }

    private static ConformanceCase update(String name, int batch, long n, boolean sharedG) {
        return new DifferentialCase(name, fx -> {
            Operand w = fx.uniform(batch, n, Layout.spaced(2, 3));
            Operand g = fx.uniform(batch, n, sharedG ? Layout.shared(4) : Layout.spaced(1, 1));
            Operand lr = fx.uniform(batch, 1, SCALARS, 0.01, 2);
            int frozen = batch - 2; // an lr = 0 entry whose gradient is NaN must stay untouched
            if (frozen >= 0 && !sharedG) {
                lr.set(frozen, 0, 0.0);
                g.set(frozen, n / 2, Double.NaN);
                fx.sync(lr);
                fx.sync(g);
            }
            fx.backend().update(batch, n, w.view(), g.view(), lr.view());
            fx.outputMagnitude("w", w, () -> {
                double[] mag = Fixture.absHost(w);
                for (int b = 0; b < batch; b++) {
                    double rate = lr.get(b, 0);
                    if (rate == 0) continue;
                    for (long q = 0; q < n; q++) mag[w.index(b, q)] += Math.abs(rate * g.get(b, q));
                }
                return mag;
            }, 1);
            fx.outputElementwise("g", g, 1);
        });
    }

    /**
     * {@code optimizerUpdate} at step t: w, g, m (and Adam's s ≥ 0) in spaced layouts, one entry
     * frozen (lr = 0) over a NaN gradient, which must leave its w, m and s untouched.
     */
    private static ConformanceCase optimizerUpdate(String name, Optimizer opt, long t, int batch, long n) {
        return new DifferentialCase(name, fx -> {
            boolean adam = opt.kind() == Optimizer.Kind.ADAM;
            Operand w = fx.uniform(batch, n, Layout.spaced(2, 3));
            Operand g = fx.uniform(batch, n, Layout.spaced(1, 1));
            Operand m = fx.uniform(batch, n, Layout.spaced(3, 2));
            Operand s = adam ? fx.uniform(batch, n, Layout.spaced(1, 4), 0, 2) : null;
            Operand lr = fx.uniform(batch, 1, SCALARS, 0.01, 2);
            int frozen = batch - 2;
            if (frozen >= 0) {
                lr.set(frozen, 0, 0.0);
                g.set(frozen, n / 2, Double.NaN);
                fx.sync(lr);
                fx.sync(g);
            }
            fx.backend().optimizerUpdate(opt, t, batch, n, w.view(), g.view(), m.view(), adam ? s.view() : null,
                    lr.view());
            double b1 = opt.beta1(), b2 = opt.beta2(), c1 = opt.c1(t), c2 = opt.c2(t), eps = opt.epsilon();
            // magnitudes of the summed terms; Adam's step also carries the sqrt and the division
            fx.outputMagnitude("m", m, () -> {
                double[] mag = Fixture.absHost(m);
                for (int b = 0; b < batch; b++) {
                    double rate = lr.get(b, 0);
                    if (rate == 0) continue;
                    for (long q = 0; q < n; q++) {
                        double gv = Math.abs(g.get(b, q));
                        mag[m.index(b, q)] = b1 * Math.abs(m.get(b, q)) + (adam ? (1 - b1) * gv : rate * gv);
                    }
                }
                return mag;
            }, 1);
            if (adam) {
                fx.outputMagnitude("s", s, () -> {
                    double[] mag = Fixture.absHost(s);
                    for (int b = 0; b < batch; b++) {
                        if (lr.get(b, 0) == 0) continue;
                        for (long q = 0; q < n; q++) {
                            double gv = g.get(b, q);
                            mag[s.index(b, q)] = b2 * s.get(b, q) + (1 - b2) * gv * gv;
                        }
                    }
                    return mag;
                }, 2);
            }
            fx.outputMagnitude("w", w, () -> {
                double[] mag = Fixture.absHost(w);
                for (int b = 0; b < batch; b++) {
                    double rate = lr.get(b, 0);
                    if (rate == 0) continue;
                    for (long q = 0; q < n; q++) {
                        double gv = g.get(b, q), mv = m.get(b, q);
                        double step;
                        if (adam) {
                            double mn = Math.abs(b1 * mv) + Math.abs((1 - b1) * gv);
                            double sn = b2 * s.get(b, q) + (1 - b2) * gv * gv;
                            step = rate * c1 * mn / (Math.sqrt(c2 * sn) + eps);
                        } else {
                            step = (1 + b1) * (b1 * Math.abs(mv) + rate * Math.abs(gv)) + rate * Math.abs(gv);
                        }
                        mag[w.index(b, q)] += step;
                    }
                }
                return mag;
            }, adam ? 8 : 2);
            fx.outputElementwise("g", g, 1);
        });
    }

    private static ConformanceCase axpby(String name, int batch, long n) {
        return new DifferentialCase(name, fx -> {
            Operand alpha = fx.uniform(batch, 1, SCALARS, -2, 2);
            Operand x = fx.uniform(batch, n, Layout.spaced(3, 1));
            Operand beta = fx.uniform(batch, 1, Layout.spaced(0, 4), -2, 2);
            Operand y = fx.uniform(batch, n, Layout.spaced(1, 2));
            fx.backend().axpby(batch, n, alpha.view(), x.view(), beta.view(), y.view());
            fx.outputMagnitude("y", y, () -> {
                double[] mag = Fixture.absHost(y);
                for (int b = 0; b < batch; b++) {
                    for (long q = 0; q < n; q++) {
                        mag[y.index(b, q)] = Math.abs(alpha.get(b, 0) * x.get(b, q)) + Math.abs(beta.get(b, 0) * y.get(b, q));
                    }
                }
                return mag;
            }, 1);
            fx.outputElementwise("x", x, 1);
        });
    }

    private static ConformanceCase scale(String name, int batch, long n) {
        return new DifferentialCase(name, fx -> {
            Operand s = fx.uniform(batch, 1, SCALARS, -3, 3);
            Operand y = fx.uniform(batch, n, Layout.spaced(2, 1));
            fx.backend().scale(batch, n, s.view(), y.view());
            fx.outputElementwise("y", y, 1);
        });
    }

    /**
     * Batch 7 (3 when n = 1): entry 0 clean, flag 0; 1: NaN first; 2: +∞ last; 3: −∞ in the
     * middle; 4: clean with flag already 1 (stays 1); 5: clean, NaN in the gap after it (must stay
     * 0); 6: NaN last with flag already 1.
     */
    private static ConformanceCase nonFinite(String name, long n) {
        return new DifferentialCase(name, fx -> {
            int batch = n == 1 ? 3 : 7;
            Operand x = fx.uniform(batch, n, Layout.spaced(2, 3));
            Operand flags = fx.uniform(batch, 1, SCALARS);
            for (int b = 0; b < batch; b++) flags.set(b, 0, 0.0);
            x.set(1, 0, Double.NaN);
            x.set(2, n - 1, Double.POSITIVE_INFINITY);
            if (batch == 7) {
                x.set(3, n / 2, Double.NEGATIVE_INFINITY);
                flags.set(4, 0, 1.0);
                x.set(5, n, Double.NaN); // first gap element after entry 5: outside the view
                x.set(6, n - 1, Double.NaN);
                flags.set(6, 0, 1.0);
            }
            fx.sync(x);
            fx.sync(flags);
            fx.backend().nonFinite(batch, n, x.view(), flags.view());
            fx.outputElementwise("flags", flags, 1);
            fx.outputElementwise("x", x, 1);
        });
    }
}
