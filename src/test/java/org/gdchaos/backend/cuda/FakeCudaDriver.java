package org.gdchaos.backend.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gdchaos.backend.DType;

/**
 * A {@link CudaDriver} without a GPU: memory is host byte arrays (new allocations are filled
 * with garbage so missing zeroing shows), copies are immediate, GEMM runs the column-major
 * emulation {@link ColumnMajorGemm}, and kernel launches are recorded so tests can check their
 * geometry and arguments; {@code fill} and {@code gemm_tiled} are also executed (the latter
 * with the row-major semantics of kernels/README.md, read from the packed arguments), so the
 * own-GEMM path and the probe's read-back can be tested end to end.
 *
 * <p>Faults: {@link #faultOn} names a kernel whose launch "faults" like a real device: the
 * launch returns normally and from then on every synchronise, free, freePinned and close
 * throws the sticky error (after counting the release, as the driver frees on context
 * teardown).
 */
class FakeCudaDriver implements CudaDriver {

    record FakeMemory(int id, ByteBuffer data) implements Memory {
        @Override
        public long bytes() {
            return data.capacity();
        }
    }

    record FakePinned(ByteBuffer data) implements Pinned {
    }

    final List<KernelLaunch> launches = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    int liveMemory;
    int livePinned;
    int synchronizations;
    boolean closed;
    int closeCalls;
    private int nextId;
    /** The paths this fake claims (default: NVRTC + cuBLAS, as on a CUDA 12 machine). */
    CudaPaths.Selection paths = new CudaPaths.Selection(CudaPaths.KernelPath.NVRTC, "default",
            CudaPaths.GemmPath.CUBLAS, "default");
    /** Free device memory before this fake's allocations ({@link #freeMemory()} subtracts them). */
    long freeBytes = 600L << 20;
    private long allocatedBytes;
    /** Kernel whose launch makes the device fault (null: none). */
    String faultOn;
    /** The sticky error once a fault happened. */
    String fault;
    /** Whether launches run fill and gemm_tiled (set false to emulate a broken device). */
    boolean execute = true;

    @Override
    public DeviceInfo info() {
        return new DeviceInfo(0, "Fake GPU", 9, 0, 1L << 30, 4, 12040);
    }

    @Override
    public CudaPaths.Selection paths() {
        return paths;
    }

    @Override
    public long freeMemory() {
        open();
        return freeBytes - allocatedBytes;
    }

    private void sticky() {
        if (fault != null) throw new IllegalStateException(fault);
    }

    private void open() {
        if (closed) throw new IllegalStateException("fake driver closed");
    }

    @Override
    public Memory allocate(long bytes) {
        open();
        byte[] garbage = new byte[(int) bytes];
        Arrays.fill(garbage, (byte) 0x7f);
        liveMemory++;
        allocatedBytes += bytes;
        events.add("allocate " + bytes);
        return new FakeMemory(nextId++, ByteBuffer.wrap(garbage).order(ByteOrder.nativeOrder()));
    }

    @Override
    public void free(Memory memory) {
        open();
        liveMemory--;
        allocatedBytes -= memory.bytes();
        events.add("free " + ((FakeMemory) memory).id());
        sticky();
    }

    @Override
    public Pinned allocatePinned(long bytes) {
        open();
        livePinned++;
        return new FakePinned(ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder()));
    }

    @Override
    public void freePinned(Pinned pinned) {
        open();
        livePinned--;
        sticky();
    }

    private static void copy(ByteBuffer src, long srcOffset, ByteBuffer dst, long dstOffset, long bytes) {
        for (long i = 0; i < bytes; i++) dst.put((int) (dstOffset + i), src.get((int) (srcOffset + i)));
    }

    @Override
    public void memsetZero(Memory dst, long dstOffset, long bytes) {
        open();
        events.add("memset " + dstOffset + " " + bytes);
        ByteBuffer d = ((FakeMemory) dst).data();
        for (long i = 0; i < bytes; i++) d.put((int) (dstOffset + i), (byte) 0);
    }

    @Override
    public void copyToDevice(Pinned src, long srcOffset, Memory dst, long dstOffset, long bytes) {
        open();
        events.add("h2d " + bytes);
        copy(src.data(), srcOffset, ((FakeMemory) dst).data(), dstOffset, bytes);
    }

    @Override
    public void copyToHost(Memory src, long srcOffset, Pinned dst, long dstOffset, long bytes) {
        open();
        events.add("d2h " + bytes);
        copy(((FakeMemory) src).data(), srcOffset, dst.data(), dstOffset, bytes);
    }

    @Override
    public void copyOnDevice(Memory src, long srcOffset, Memory dst, long dstOffset, long bytes) {
        open();
        events.add("d2d " + bytes);
        copy(((FakeMemory) src).data(), srcOffset, ((FakeMemory) dst).data(), dstOffset, bytes);
    }

    @Override
    public void awaitStaging(Pinned staging) {
        open();
    }

    /** Dtypes whose module was prepared, in order. */
    final List<DType> prepared = new ArrayList<>();
    /** When set, {@link #prepare} throws it (a kernel build failure). */
    RuntimeException prepareFails;

    @Override
    public void prepare(DType dtype) {
        open();
        if (prepareFails != null) throw prepareFails;
        if (!prepared.contains(dtype)) {
            prepared.add(dtype);
            events.add("prepare " + dtype.label());
        }
    }

    @Override
    public void launch(KernelLaunch launch) {
        open();
        if (!prepared.contains(launch.dtype())) throw new IllegalStateException("launch before prepare(" + launch.dtype() + ")");
        events.add("launch " + launch.kernel());
        launches.add(launch);
        if (launch.kernel().equals(faultOn)) fault = "cuStreamSynchronize failed: CUDA_ERROR_ILLEGAL_ADDRESS";
        if (execute && fault == null) run(launch);
    }

    private static FakeMemory mem(KernelArg a) {
        return (FakeMemory) ((KernelArg.Ptr) a).memory();
    }

    private static long i(KernelArg a) {
        return a instanceof KernelArg.I32 v ? v.value() : ((KernelArg.I64) a).value();
    }

    private static double r(KernelArg a) {
        return a instanceof KernelArg.F32 v ? v.value() : ((KernelArg.F64) a).value();
    }

    private static double get(DType t, FakeMemory m, long e) {
        return t == DType.F32 ? m.data().getFloat((int) (e * 4)) : m.data().getDouble((int) (e * 8));
    }

    private static void set(DType t, FakeMemory m, long e, double v) {
        if (t == DType.F32) m.data().putFloat((int) (e * 4), (float) v);
        else m.data().putDouble((int) (e * 8), v);
    }

    /** Executes the kernels the fake knows, from their packed arguments. */
    private static void run(KernelLaunch l) {
        List<KernelArg> a = l.args();
        DType t = l.dtype();
        switch (l.kernel()) {
            case "fill" -> {
                long n = i(a.get(0)), off = i(a.get(3));
                for (long e = 0; e < n; e++) set(t, mem(a.get(2)), off + e, r(a.get(1)));
            }
            case "gemm_tiled" -> {
                int batch = (int) i(a.get(0)), m = (int) i(a.get(1)), n = (int) i(a.get(2)), k = (int) i(a.get(3));
                boolean ta = i(a.get(4)) != 0, tb = i(a.get(5)) != 0;
                double alpha = r(a.get(6)), beta = r(a.get(7));
                FakeMemory ma = mem(a.get(8)), mb = mem(a.get(11)), mc = mem(a.get(14));
                for (int b = 0; b < batch; b++) {
                    long oa = i(a.get(9)) + b * i(a.get(10)), ob = i(a.get(12)) + b * i(a.get(13));
                    long oc = i(a.get(15)) + b * i(a.get(16));
                    for (int r = 0; r < m; r++) {
                        for (int c = 0; c < n; c++) {
                            double sum = 0;
                            for (int q = 0; q < k; q++) {
                                double x = get(t, ma, oa + (ta ? (long) q * m + r : (long) r * k + q));
                                double y = get(t, mb, ob + (tb ? (long) c * k + q : (long) q * n + c));
                                sum += x * y;
                            }
                            long ci = oc + (long) r * n + c;
                            set(t, mc, ci, beta == 0 ? alpha * sum : alpha * sum + beta * get(t, mc, ci));
                        }
                    }
                }
            }
            default -> {
                // recorded only
            }
        }
    }

    static double[] read(DType t, Memory m) {
        ByteBuffer b = ((FakeMemory) m).data();
        double[] x = new double[(int) (m.bytes() / t.bytes())];
        for (int i = 0; i < x.length; i++) x[i] = t == DType.F32 ? b.getFloat(i * 4) : b.getDouble(i * 8);
        return x;
    }

    static void write(DType t, Memory m, double[] x) {
        ByteBuffer b = ((FakeMemory) m).data();
        for (int i = 0; i < x.length; i++) {
            if (t == DType.F32) b.putFloat(i * 4, (float) x[i]);
            else b.putDouble(i * 8, x[i]);
        }
    }

    @Override
    public void gemm(DType dtype, CublasGemmArgs args, double alpha, Memory a, Memory b, double beta, Memory c) {
        open();
        if (paths.gemm() != CudaPaths.GemmPath.CUBLAS) throw new IllegalStateException("cuBLAS is not in use");
        events.add("gemm");
        double[] cv = read(dtype, c);
        ColumnMajorGemm.gemmStridedBatched(args, alpha, read(dtype, a), read(dtype, b), beta, cv);
        write(dtype, c, cv);
    }

    @Override
    public void synchronize() {
        open();
        events.add("sync");
        synchronizations++;
        sticky();
    }

    @Override
    public void close() {
        closeCalls++;
        closed = true;
        if (fault != null) throw new IllegalStateException("cuDevicePrimaryCtxRelease failed: " + fault);
    }
}
