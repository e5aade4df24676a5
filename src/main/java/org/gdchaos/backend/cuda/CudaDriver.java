package org.gdchaos.backend.cuda;

import java.nio.ByteBuffer;
import org.gdchaos.backend.DType;

/**
 * The thin layer between {@link CudaBackend} and the CUDA libraries: device memory, pinned host
 * memory, asynchronous copies, kernel launches and cuBLAS GEMM, all queued on one stream. The
 * production implementation is {@link NativeCudaDriver} (JCuda driver API + NVRTC + cuBLAS);
 * tests use a fake that records launches, so geometry and argument packing are checked
 * without a GPU.
 *
 * <p>Every method except {@link #synchronize()}, {@link #awaitStaging(Pinned)},
 * {@link #allocate}/{@link #free} and {@link #close()} only enqueues work and returns at once.
 * Offsets and sizes here are in bytes.
 */
public interface CudaDriver extends AutoCloseable {

    /** An allocation of device memory. */
    interface Memory {
        /** Size in bytes. */
        long bytes();
    }

    /**
     * Page-locked host memory used to stage transfers; {@link #data()} views it directly
     * (native byte order).
     */
    interface Pinned {
        /** The host bytes. */
        ByteBuffer data();
    }

    /** What the device is. */
    DeviceInfo info();

    /** Where the kernels and the GEMM come from ({@link CudaPaths}). */
    CudaPaths.Selection paths();

    /** Free device memory in bytes now ({@code cuMemGetInfo}). */
    long freeMemory();

    /** Allocates {@code bytes} of device memory (contents undefined). */
    Memory allocate(long bytes);

    /** Releases device memory. */
    void free(Memory memory);

    /** Allocates {@code bytes} of pinned host memory. */
    Pinned allocatePinned(long bytes);

    /** Releases pinned host memory (waits for pending copies that use it). */
    void freePinned(Pinned pinned);

    /** Enqueues {@code dst[dstOffset .. +bytes) = 0}. */
    void memsetZero(Memory dst, long dstOffset, long bytes);

    /**
     * Enqueues a copy from pinned host memory to the device and marks {@code src} as busy until
     * the copy has run (see {@link #awaitStaging(Pinned)}).
     */
    void copyToDevice(Pinned src, long srcOffset, Memory dst, long dstOffset, long bytes);

    /** Enqueues a copy from the device into pinned host memory (valid after {@link #synchronize()}). */
    void copyToHost(Memory src, long srcOffset, Pinned dst, long dstOffset, long bytes);

    /** Enqueues a device-to-device copy. */
    void copyOnDevice(Memory src, long srcOffset, Memory dst, long dstOffset, long bytes);

    /** Blocks until every copy enqueued from {@code staging} to the device has finished reading it. */
    void awaitStaging(Pinned staging);

    /**
     * Builds (NVRTC) or reads (embedded module) and loads the kernel module for {@code dtype}
     * now, if not done yet;
     * {@link CudaBackend} calls it for every dtype when it opens, so a build failure is an error
     * at start-up, not in the middle of a sweep.
     *
     * @throws IllegalStateException with the compiler log when the build or the load fails
     */
    void prepare(DType dtype);

    /** Enqueues a kernel launch (the module of its dtype is {@link #prepare prepared} if it was not). */
    void launch(KernelLaunch launch);

    /**
     * Enqueues {@code cublas{S,D}gemmStridedBatched} with host scalars alpha and beta. The
     * element offsets in {@code args} address {@code a} (cuBLAS's A'), {@code b} and {@code c}.
     *
     * @throws IllegalStateException when {@link #paths()} did not select cuBLAS
     */
    void gemm(DType dtype, CublasGemmArgs args, double alpha, Memory a, Memory b, double beta, Memory c);

    /** Blocks until all enqueued work has finished. */
    void synchronize();

    /**
     * Releases the stream, cuBLAS handle, modules and context reference; every step runs even
     * after a device fault, and the first failure is rethrown with the later ones suppressed.
     */
    @Override
    void close();
}
