package org.gdchaos.backend.cuda;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.Checks;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.View;
import org.gdchaos.backend.kernels.Arg.Operand;
import org.gdchaos.backend.kernels.KernelBackend;
import org.gdchaos.backend.kernels.KernelCall;
import org.gdchaos.backend.kernels.KernelCalls;
import org.gdchaos.backend.kernels.KernelSource;

/**
 * The CUDA backend: buffers in device memory, GEMM through cuBLAS
 * ({@code cublas{S,D}gemmStridedBatched}, row-major mapped by {@link CublasGemmArgs}) or the
 * shared {@code gemm_tiled} kernel ({@link KernelCalls#gemm}), every other primitive from the
 * shared kernels (launched through the kernel table by {@link KernelBackend}, which checks the
 * operands), compiled at run time with NVRTC or loaded from the embedded module (both dtypes, when
 * the backend opens); {@link CudaPaths} chooses.
 *
 * <p>Errors: CUDA reports a kernel fault at the next synchronise. The backend keeps the names
 * of the launches queued since the last successful synchronise ({@link LaunchLog}) and puts
 * them in that error. With the debug switch ({@code -Dgdchaos.cuda.sync=true}, option
 * {@code sync}, or environment {@code GDCHAOS_CUDA_SYNC=1}) it synchronises after every
 * launch and GEMM, so the error names the failing kernel, its dtype and geometry (slow: for
 * debugging only).
 * All work goes to one stream in call order; the host waits only in {@link #download} (and when
 * buffers or the backend are closed). Transfers go through two pinned staging buffers of
 * {@link CudaTuning#STAGING_BYTES}; an upload waits only if the staging buffer it reuses is
 * still being copied. Not thread-safe (one thread drives a backend).
 */
public final class CudaBackend extends KernelBackend {

    private final CudaDriver driver;
    private final DeviceInfo info;
    private final Set<CudaBuffer> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private final CudaDriver.Pinned[] staging = new CudaDriver.Pinned[2];
    private int nextStaging;
    private boolean closed;
    private final boolean syncEachLaunch;
    private final LaunchLog queued = new LaunchLog();
    private long heldBytes;

    /**
     * A backend on an opened driver (the backend closes it). Compiles and loads the kernels of
     * both dtypes now ({@link CudaDriver#prepare}), so a build failure surfaces here; on failure
     * the driver is closed.
     *
     * @throws IllegalStateException when a kernel module cannot be built or loaded
     */
    public CudaBackend(CudaDriver driver) {
        this(driver, false);
    }

    /**
     * As {@link #CudaBackend(CudaDriver)}; {@code syncEachLaunch} synchronises after every
     * launch and GEMM so that a fault names its kernel (debugging).
     */
    public CudaBackend(CudaDriver driver, boolean syncEachLaunch) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.syncEachLaunch = syncEachLaunch;
        this.info = driver.info();
        try {
            for (DType t : DType.values()) driver.prepare(t);
        } catch (RuntimeException e) {
            try {
                driver.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Opens the device chosen by option {@code device} (property {@code gdchaos.cuda.device},
     * default 0; indices count the devices left visible by {@code CUDA_VISIBLE_DEVICES}), with
     * the kernel and GEMM paths of {@link CudaPaths#select} and the debug switch of
     * {@link #syncEachLaunch(BackendOptions)}.
     */
    public static CudaBackend open(BackendOptions options) {
        int ordinal = CudaProbe.deviceOrdinal(options);
        DeviceInfo device = CudaProbe.query(ordinal);
        CudaPaths.Selection paths = CudaPaths.select(options, new CudaPaths.Native(Cuda13Shim.enabled(options)), device.driverVersion());
        NativeCudaDriver driver = new NativeCudaDriver(ordinal, paths,
                dtype -> KernelSource.assemble(KernelSource.Dialect.CUDA, dtype, true));
        return new CudaBackend(driver, syncEachLaunch(options));
    }

    /**
     * The debug switch: option/property {@code gdchaos.cuda.sync} (true/false), else environment
     * {@code GDCHAOS_CUDA_SYNC} (1/true), default off.
     */
    static boolean syncEachLaunch(BackendOptions options) {
        String v = options.get("cuda", "sync", null);
        if (v == null) v = System.getenv("GDCHAOS_CUDA_SYNC");
        if (v == null || v.isBlank()) return false;
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("gdchaos.cuda.sync / GDCHAOS_CUDA_SYNC must be true or false;"
                    + " got '" + v + "'");
        };
    }

    /** The kernel and GEMM paths in use. */
    public CudaPaths.Selection paths() {
        return driver.paths();
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String device() {
        return info.describe() + "; " + driver.paths().describe();
    }

    /**
     * {@inheritDoc} Only with the own GEMM ({@code -Dgdchaos.cuda.gemm=own}): the shared kernels pick
     * their geometry from the shape alone and sum each element in one thread in a fixed order, but
     * cuBLAS's heuristics choose an algorithm (split-K or not, tile sizes) from the whole problem,
     * batch count included, so an entry may round differently in another batch.
     */
    @Override
    public boolean batchInvariant() {
        return driver.paths().gemm() == CudaPaths.GemmPath.OWN;
    }

    @Override
    public boolean supports(DType dtype) {
        return true; // every device of compute capability >= 5.0 has float and double
    }

    /**
     * {@code ⌊MEMORY_FRACTION · (free device memory now + bytes held by this backend's live
     * buffers)⌋}: what this backend could use if its own buffers were freed, leaving memory that
     * other processes (and this process's context and modules) already hold out of the plan;
     * the rest of the fraction is headroom for the cuBLAS workspace and fragmentation.
     */
    @Override
    public long memoryBytes() {
        checkOpen();
        long usable = driver.freeMemory() + heldBytes;
        return (long) (Math.min(usable, info.totalMemory()) * CudaTuning.MEMORY_FRACTION);
    }

    // ---------------------------------------------------------------- queue and errors

    /** Enqueues a launch from the kernel table (and, with the debug switch, waits for it). */
    @Override
    protected void launch(KernelCall c) {
        KernelLaunch l = KernelLaunch.of(c);
        try {
            driver.launch(l);
        } catch (RuntimeException e) {
            throw new IllegalStateException("CUDA launch of " + LaunchLog.describe(l) + " failed: " + e.getMessage(), e);
        }
        queued.add(l);
        if (syncEachLaunch) afterLaunch(l);
    }

    /** A cuBLAS call as the launch log reports it (text built only when reported). */
    private record CublasCall(DType dtype, CublasGemmArgs g) {
        @Override
        public String toString() {
            return (dtype == DType.F32 ? "cublasSgemmStridedBatched" : "cublasDgemmStridedBatched") + " (m=" + g.m()
                    + ", n=" + g.n() + ", k=" + g.k() + ", batch " + g.batchCount() + ")";
        }
    }

    /** With the debug switch: waits for the launch just queued, naming it if it failed. */
    private void afterLaunch(Object launch) {
        try {
            driver.synchronize();
            queued.clear();
        } catch (RuntimeException e) {
            throw new IllegalStateException("CUDA kernel " + LaunchLog.text(launch) + " failed: " + e.getMessage()
                    + " (found by gdchaos.cuda.sync)", e);
        }
    }

    /**
     * Waits for the queue; a failure names the launches queued since the last successful
     * synchronise (the fault is among them).
     */
    private void sync() {
        try {
            driver.synchronize();
        } catch (RuntimeException e) {
            String what = queued.describe();
            queued.clear();
            throw new IllegalStateException("CUDA error at synchronize: " + e.getMessage() + "; queued since the last"
                    + " successful synchronize: " + what + " (rerun with -Dgdchaos.cuda.sync=true or"
                    + " GDCHAOS_CUDA_SYNC=1 to name the failing kernel)", e);
        }
        queued.clear();
    }

    // ---------------------------------------------------------------- memory

    @Override
    protected void checkOpen() {
        if (closed) throw Checks.closed(this);
    }

    @Override
    public Buffer allocate(DType dtype, long length) {
        checkOpen();
        Objects.requireNonNull(dtype, "dtype");
        long bytes = Math.max(1, Checks.bufferLength(length)) * dtype.bytes();
        CudaDriver.Memory m = driver.allocate(bytes);
        driver.memsetZero(m, 0, bytes);
        CudaBuffer b = new CudaBuffer(this, dtype, length, m);
        live.add(b);
        heldBytes += m.bytes();
        return b;
    }

    /** Frees a buffer's device memory (after the queued work that may use it). */
    void release(CudaBuffer b) {
        if (closed) {
            b.detach();
            return;
        }
        CudaDriver.Memory m = b.detach();
        if (m == null) return;
        live.remove(b);
        heldBytes -= m.bytes();
        sync();
        driver.free(m);
    }

    private CudaBuffer own(Buffer buffer, String name) {
        return Checks.live(this, CudaBuffer.class, buffer, name);
    }

    private static void checkRange(long offset, long n, long length, String what) {
        Checks.range(offset, n, length, what);
    }

    private CudaDriver.Pinned nextStaging() {
        int i = nextStaging;
        nextStaging = 1 - nextStaging;
        if (staging[i] == null) staging[i] = driver.allocatePinned(CudaTuning.STAGING_BYTES);
        return staging[i];
    }

    @Override
    public void upload(double[] src, int srcOffset, Buffer dst, long dstOffset, int n) {
        checkOpen();
        CudaBuffer d = own(dst, "upload");
        checkRange(srcOffset, n, src.length, "upload source");
        checkRange(dstOffset, n, d.length(), "upload destination");
        int size = d.dtype().bytes();
        int per = CudaTuning.STAGING_BYTES / size;
        for (int done = 0; done < n; ) {
            int chunk = Math.min(per, n - done);
            CudaDriver.Pinned p = nextStaging();
            driver.awaitStaging(p);
            ByteBuffer bytes = p.data();
            if (d.dtype() == DType.F32) {
                FloatBuffer f = bytes.asFloatBuffer();
                for (int i = 0; i < chunk; i++) f.put(i, (float) src[srcOffset + done + i]);
            } else {
                DoubleBuffer f = bytes.asDoubleBuffer();
                f.put(0, src, srcOffset + done, chunk);
            }
            driver.copyToDevice(p, 0, d.memory(), (dstOffset + done) * size, (long) chunk * size);
            done += chunk;
        }
    }

    @Override
    public void download(Buffer src, long srcOffset, double[] dst, int dstOffset, int n) {
        checkOpen();
        CudaBuffer s = own(src, "download");
        checkRange(srcOffset, n, s.length(), "download source");
        checkRange(dstOffset, n, dst.length, "download destination");
        int size = s.dtype().bytes();
        int per = CudaTuning.STAGING_BYTES / size;
        for (int done = 0; done < n; ) {
            int chunk = Math.min(per, n - done);
            CudaDriver.Pinned p = nextStaging();
            driver.copyToHost(s.memory(), (srcOffset + done) * size, p, 0, (long) chunk * size);
            sync();
            ByteBuffer bytes = p.data();
            if (s.dtype() == DType.F32) {
                FloatBuffer f = bytes.asFloatBuffer();
                for (int i = 0; i < chunk; i++) dst[dstOffset + done + i] = f.get(i);
            } else {
                bytes.asDoubleBuffer().get(0, dst, dstOffset + done, chunk);
            }
            done += chunk;
        }
    }

    @Override
    public void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long n) {
        checkOpen();
        CudaBuffer s = own(src, "copy source"), d = own(dst, "copy destination");
        Checks.copy(s, srcOffset, d, dstOffset, n);
        if (n == 0) return;
        int size = s.dtype().bytes();
        driver.copyOnDevice(s.memory(), srcOffset * size, d.memory(), dstOffset * size, n * size);
    }

    @Override
    public void fill(Buffer dst, long offset, long n, double value) {
        checkOpen();
        CudaBuffer d = own(dst, "fill");
        checkRange(offset, n, d.length(), "fill");
        if (n == 0) return;
        if (Double.doubleToRawLongBits(value) == 0L) {           // +0.0 is all-zero bits in both types
            driver.memsetZero(d.memory(), offset * d.dtype().bytes(), n * d.dtype().bytes());
        } else {
            launch(KernelCalls.fill(d.dtype(), d.memory(), offset, n, value));
        }
    }

    // ---------------------------------------------------------------- operands and GEMM

    /** A checked view as the kernels' operand, in device memory. */
    @Override
    protected Operand operand(View v) {
        return new Operand(((CudaBuffer) v.buffer()).memory(), v.offset(), v.stride());
    }

    /** The device memory of a view already checked. */
    private static CudaDriver.Memory memory(View v) {
        return ((CudaBuffer) v.buffer()).memory();
    }

    /** The shared {@code gemm_tiled} kernel with the own GEMM, else cuBLAS (one or more strided-batched calls). */
    @Override
    public void gemm(GemmShape s, View a, View b, View c) {
        if (driver.paths().gemm() == CudaPaths.GemmPath.OWN) {
            super.gemm(s, a, b, c);
            return;
        }
        checkOpen();
        DType t = Checks.gemm(this, s, a, b, c);
        for (CublasGemmArgs g : CublasGemmArgs.plan(s, a.offset(), a.stride(), b.offset(), b.stride(), c.offset(),
                c.stride())) {
            CublasCall call = new CublasCall(t, g);
            try {
                driver.gemm(t, g, s.alpha(), memory(b), memory(a), s.beta(), memory(c)); // cuBLAS's A' = our B
            } catch (RuntimeException e) {
                throw new IllegalStateException(call + " failed: " + e.getMessage(), e);
            }
            queued.add(call);
            if (syncEachLaunch) afterLaunch(call);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Waits for queued work, then frees every live buffer, the staging memory and the driver
     * (stream, modules, cuBLAS, context). Every step runs even after a device fault; the first
     * failure is rethrown (a fault at the synchronise names the queued launches) with the later
     * ones suppressed. Idempotent.
     */
    @Override
    public void close() {
        if (closed) return;
        Cleanup c = new Cleanup();
        c.run(this::sync);
        closed = true;
        for (CudaBuffer b : new ArrayList<>(live)) {
            CudaDriver.Memory m = b.detach();
            if (m != null) c.run(() -> driver.free(m));
        }
        live.clear();
        heldBytes = 0;
        for (int i = 0; i < staging.length; i++) {
            CudaDriver.Pinned p = staging[i];
            staging[i] = null;
            if (p != null) c.run(() -> driver.freePinned(p));
        }
        c.run(driver::close);
        c.finish();
    }
}
