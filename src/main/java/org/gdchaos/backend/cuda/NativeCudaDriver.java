package org.gdchaos.backend.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD8Async;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import org.gdchaos.backend.DType;

/**
 * {@link CudaDriver} on JCuda: the driver API (primary context of one device, one non-blocking
 * stream, {@code cuMemAlloc}, {@code cuMemAllocHost}, async copies, {@code cuLaunchKernel}),
 * kernel modules from NVRTC ({@link NvrtcCompiler}) or the embedded fat binary
 * ({@link EmbeddedModule}), and, on the cuBLAS path, a cuBLAS handle bound to the same stream
 * ({@link CublasGemm}; JCublas2 is not touched otherwise).
 * Every call makes the context current on the calling thread first (cheap), so the driver may
 * be created on one thread and used on another (one at a time).
 */
public final class NativeCudaDriver implements CudaDriver {

    private record NativeMemory(CUdeviceptr ptr, long bytes) implements Memory {
    }

    private record NativePinned(Pointer host, ByteBuffer data, CUevent lastCopy) implements Pinned {
    }

    private final DeviceInfo info;
    private final CUdevice device;
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final CudaPaths.Selection paths;
    private CublasGemm cublas;
    private final Function<DType, String> sources;
    private final Map<DType, CUmodule> modules = new EnumMap<>(DType.class);
    private final Map<String, CUfunction> functions = new HashMap<>();
    private boolean contextRetained;
    private boolean streamCreated;
    private boolean closed;

    /**
     * Opens device {@code ordinal}.
     *
     * @param paths   kernels (NVRTC or embedded) and GEMM (cuBLAS or own) to use
     * @param sources kernel source (CUDA dialect) for each dtype, compiled by {@link #prepare} on
     *                the NVRTC path
     * @throws IllegalStateException when a CUDA call fails (resources created so far are released)
     */
    public NativeCudaDriver(int ordinal, CudaPaths.Selection paths, Function<DType, String> sources) {
        this.paths = java.util.Objects.requireNonNull(paths, "paths");
        this.sources = sources;
        this.info = CudaProbe.query(ordinal);
        this.device = new CUdevice();
        try {
            check(cuDeviceGet(device, ordinal), "cuDeviceGet");
            check(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
            contextRetained = true;
            check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
            check(cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
            streamCreated = true;
            if (paths.gemm() == CudaPaths.GemmPath.CUBLAS) cublas = new CublasGemm(stream);
        } catch (RuntimeException | Error e) {
            try {
                close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    static void check(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new IllegalStateException(call + " failed: " + CUresult.stringFor(result));
        }
    }

    private void bind() {
        if (closed) throw new IllegalStateException("CUDA driver is closed");
        check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    private static CUdeviceptr at(Memory m, long byteOffset) {
        return ((NativeMemory) m).ptr().withByteOffset(byteOffset);
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    @Override
    public CudaPaths.Selection paths() {
        return paths;
    }

    @Override
    public long freeMemory() {
        bind();
        long[] free = {0}, total = {0};
        check(cuMemGetInfo(free, total), "cuMemGetInfo");
        return free[0];
    }

    @Override
    public Memory allocate(long bytes) {
        bind();
        CUdeviceptr p = new CUdeviceptr();
        check(cuMemAlloc(p, bytes), "cuMemAlloc(" + bytes + " bytes)");
        return new NativeMemory(p, bytes);
    }

    @Override
    public void free(Memory memory) {
        bind();
        check(cuMemFree(((NativeMemory) memory).ptr()), "cuMemFree");
    }

    @Override
    public Pinned allocatePinned(long bytes) {
        bind();
        Pointer host = new Pointer();
        check(cuMemAllocHost(host, bytes), "cuMemAllocHost(" + bytes + " bytes)");
        CUevent event = new CUevent();
        int rc = cuEventCreate(event, CUevent_flags.CU_EVENT_DISABLE_TIMING);
        if (rc != CUresult.CUDA_SUCCESS) {
            cuMemFreeHost(host);
            check(rc, "cuEventCreate");
        }
        ByteBuffer data = host.getByteBuffer(0, bytes).order(ByteOrder.nativeOrder());
        return new NativePinned(host, data, event);
    }

    @Override
    public void freePinned(Pinned pinned) {
        bind();
        NativePinned p = (NativePinned) pinned;
        Cleanup c = new Cleanup();                                // after a fault, still free the host memory
        c.run(() -> check(cuEventSynchronize(p.lastCopy()), "cuEventSynchronize"));
        c.run(() -> check(cuEventDestroy(p.lastCopy()), "cuEventDestroy"));
        c.run(() -> check(cuMemFreeHost(p.host()), "cuMemFreeHost"));
        c.finish();
    }

    @Override
    public void memsetZero(Memory dst, long dstOffset, long bytes) {
        bind();
        check(cuMemsetD8Async(at(dst, dstOffset), (byte) 0, bytes, stream), "cuMemsetD8Async");
    }

    @Override
    public void copyToDevice(Pinned src, long srcOffset, Memory dst, long dstOffset, long bytes) {
        bind();
        NativePinned p = (NativePinned) src;
        check(cuMemcpyHtoDAsync(at(dst, dstOffset), p.host().withByteOffset(srcOffset), bytes, stream),
                "cuMemcpyHtoDAsync");
        check(cuEventRecord(p.lastCopy(), stream), "cuEventRecord");
    }

    @Override
    public void copyToHost(Memory src, long srcOffset, Pinned dst, long dstOffset, long bytes) {
        bind();
        NativePinned p = (NativePinned) dst;
        check(cuMemcpyDtoHAsync(p.host().withByteOffset(dstOffset), at(src, srcOffset), bytes, stream),
                "cuMemcpyDtoHAsync");
        check(cuEventRecord(p.lastCopy(), stream), "cuEventRecord");
    }

    @Override
    public void copyOnDevice(Memory src, long srcOffset, Memory dst, long dstOffset, long bytes) {
        bind();
        check(cuMemcpyDtoDAsync(at(dst, dstOffset), at(src, srcOffset), bytes, stream), "cuMemcpyDtoDAsync");
    }

    @Override
    public void awaitStaging(Pinned staging) {
        bind();
        check(cuEventSynchronize(((NativePinned) staging).lastCopy()), "cuEventSynchronize");
    }

    @Override
    public void prepare(DType dtype) {
        bind();
        module(dtype);
    }

    private CUmodule module(DType dtype) {
        CUmodule module = modules.get(dtype);
        if (module == null) {
            byte[] data;
            String what;
            if (paths.kernels() == CudaPaths.KernelPath.NVRTC) {
                NvrtcCompiler.Image image = NvrtcCompiler.compile(sources.apply(dtype), "gdchaos_" + dtype.label(), info);
                data = image.data();
                what = image.describe();
            } else {
                data = EmbeddedModule.image(dtype, info.driverVersion(), info.major() * 10 + info.minor());
                what = EmbeddedModule.describe(dtype) + ", " + data.length + " bytes";
            }
            module = new CUmodule();
            check(cuModuleLoadData(module, data), "cuModuleLoadData(" + what + ")");
            modules.put(dtype, module);
        }
        return module;
    }

    private CUfunction function(DType dtype, String kernel) {
        String key = dtype.label() + ':' + kernel;
        CUfunction f = functions.get(key);
        if (f == null) {
            CUmodule module = module(dtype);
            f = new CUfunction();
            check(cuModuleGetFunction(f, module, kernel), "cuModuleGetFunction(" + kernel + ")");
            functions.put(key, f);
        }
        return f;
    }

    /** Packs arguments as cuLaunchKernel expects: an array of pointers to each value. */
    private static Pointer pack(KernelLaunch launch) {
        Pointer[] params = new Pointer[launch.args().size()];
        for (int i = 0; i < params.length; i++) {
            KernelArg a = launch.args().get(i);
            if (a instanceof KernelArg.Ptr p) {
                params[i] = Pointer.to(((NativeMemory) p.memory()).ptr());
            } else if (a instanceof KernelArg.I32 v) {
                params[i] = Pointer.to(new int[] {v.value()});
            } else if (a instanceof KernelArg.I64 v) {
                params[i] = Pointer.to(new long[] {v.value()});
            } else if (a instanceof KernelArg.F32 v) {
                params[i] = Pointer.to(new float[] {v.value()});
            } else {
                params[i] = Pointer.to(new double[] {((KernelArg.F64) a).value()});
            }
        }
        return Pointer.to(params);
    }

    @Override
    public void launch(KernelLaunch l) {
        bind();
        CUfunction f = function(l.dtype(), l.kernel());
        check(cuLaunchKernel(f, l.grid().x(), l.grid().y(), l.grid().z(), l.block().x(), l.block().y(),
                l.block().z(), l.sharedBytes(), stream, pack(l), null), "cuLaunchKernel(" + l.kernel() + ")");
    }

    @Override
    public void gemm(DType dtype, CublasGemmArgs g, double alpha, Memory a, Memory b, double beta, Memory c) {
        if (cublas == null) throw new IllegalStateException("cuBLAS is not in use (" + paths.describe() + ")");
        bind();
        int size = dtype.bytes();
        cublas.gemm(dtype, g, alpha, at(a, g.aOffset() * size), at(b, g.bOffset() * size), beta,
                at(c, g.cOffset() * size));
    }

    @Override
    public void synchronize() {
        bind();
        check(cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    /**
     * Releases cuBLAS, modules, the stream and the primary-context reference; idempotent. Every
     * step runs even after a device fault; the first failure (typically the fault, reported by
     * the synchronise) is rethrown with the later ones suppressed.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Cleanup c = new Cleanup();
        if (contextRetained) c.run(() -> check(cuCtxSetCurrent(context), "cuCtxSetCurrent"));
        if (streamCreated) c.run(() -> check(cuStreamSynchronize(stream), "cuStreamSynchronize"));
        if (cublas != null) c.run(cublas::close);
        for (CUmodule m : modules.values()) c.run(() -> check(cuModuleUnload(m), "cuModuleUnload"));
        modules.clear();
        functions.clear();
        if (streamCreated) c.run(() -> check(cuStreamDestroy(stream), "cuStreamDestroy"));
        if (contextRetained) c.run(() -> check(cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease"));
        c.finish();
    }
}
