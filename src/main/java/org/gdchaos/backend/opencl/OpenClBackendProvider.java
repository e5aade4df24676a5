package org.gdchaos.backend.opencl;

import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clReleaseContext;

import java.util.ArrayList;
import java.util.List;
import org.gdchaos.backend.Availability;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.BackendProvider;
import org.gdchaos.backend.DType;
import org.jocl.cl_context;
import org.jocl.cl_device_id;

/**
 * Provider of the {@code opencl} backend (rank 200 on a GPU, 50 on a CPU). Options (or system properties
 * {@code gdchaos.opencl.<key>}): {@code platform} and {@code device}, each an index or a name
 * substring; {@code gemm.tk}, the depth of the GEMM's local-memory tile (default 16).
 * The probe result is cached; probing loads JOCL's native library and the ICD loader and opens
 * (and closes) a context on the chosen device, so "available" means usable.
 */
public final class OpenClBackendProvider implements BackendProvider {
    /** Rank of an OpenCL GPU or accelerator: above Java, below CUDA. */
    public static final int RANK_GPU = 200;
    /**
     * Rank of a CPU-only OpenCL device (e.g. PoCL): below the Java backend, which is several
     * times faster on the same CPU (see benchmarks/), so {@code auto} keeps Java there.
     */
    public static final int RANK_CPU = 50;

    private Availability cached;
    private int cachedRank = RANK_GPU;
    private boolean cachedFp64 = true;

    @Override
    public String name() {
        return "opencl";
    }

    /** {@link #RANK_GPU} for a GPU or accelerator, {@link #RANK_CPU} when the chosen device is a CPU. */
    @Override
    public synchronized int rank() {
        probe();
        return cachedRank;
    }

    @Override
    public synchronized Availability probe() {
        if (cached == null) {
            OpenClDevices.Device[] chosen = new OpenClDevices.Device[1];
            cached = probe(BackendOptions.defaults(), chosen);
            if (cached.available()) {
                cachedRank = rankOf(chosen[0].type());
                cachedFp64 = chosen[0].fp64();
            }
        }
        return cached;
    }

    /** Whether the probed device has {@code cl_khr_fp64} (f32 always works). */
    @Override
    public synchronized boolean supports(DType dtype) {
        probe();
        return dtype == DType.F32 || cachedFp64;
    }

    /** {@link #RANK_CPU} when the device type has the CPU bit (and no GPU bit), else {@link #RANK_GPU}. */
    static int rankOf(long deviceType) {
        return (deviceType & CL_DEVICE_TYPE_GPU) == 0 && (deviceType & CL_DEVICE_TYPE_CPU) != 0 ? RANK_CPU : RANK_GPU;
    }

    /** Uncached probe for the given options; never throws. */
    static Availability probe(BackendOptions options) {
        return probe(options, new OpenClDevices.Device[1]);
    }

    /** Uncached probe; on success {@code chosen[0]} is the device. Never throws. */
    private static Availability probe(BackendOptions options, OpenClDevices.Device[] chosen) {
        try {
            OpenClDevices.Device d = choose(options);
            cl_context ctx = clCreateContext(null, 1, new cl_device_id[] {d.id()}, null, null, null);
            clReleaseContext(ctx);
            chosen[0] = d;
            return Availability.yes(d.describe());
        } catch (LinkageError e) {
            return Availability.no("OpenCL unavailable, because the OpenCL ICD loader (libOpenCL.so.1) or JOCL's"
                    + " native library could not be loaded (" + e.getClass().getSimpleName() + ": "
                    + firstLine(e.getMessage()) + ") " + OpenClDevices.FIX);
        } catch (OpenClDevices.Unavailable e) {
            return Availability.no("OpenCL unavailable, because " + e.getMessage() + " " + OpenClDevices.FIX);
        } catch (RuntimeException e) {
            return Availability.no("OpenCL unavailable, because the driver failed (" + e.getClass().getSimpleName()
                    + ": " + firstLine(e.getMessage()) + ") " + OpenClDevices.FIX);
        }
    }

    @Override
    public Backend create(BackendOptions options) {
        OpenClDevices.Device d;
        try {
            d = choose(options);
        } catch (OpenClDevices.Unavailable e) {
            throw new IllegalStateException("OpenCL unavailable, because " + e.getMessage() + " " + OpenClDevices.FIX, e);
        }
        List<String> defines = new ArrayList<>();
        String tk = options.get("opencl", "gemm.tk", null);
        if (tk != null && !tk.isBlank()) {
            int v = Integer.parseInt(tk.trim());
            if (v != 8 && v != 16 && v != 32) {
                throw new IllegalArgumentException("gdchaos.opencl.gemm.tk must be 8, 16 or 32 (GEMM_TK, a multiple of 8"
                        + " dividing the tile loads; see kernels/README.md), got " + v);
            }
            defines.add("GEMM_TK " + v);
        }
        return new OpenClBackend(d, defines);
    }

    private static OpenClDevices.Device choose(BackendOptions options) {
        return OpenClDevices.choose(options.get("opencl", "platform", null), options.get("opencl", "device", null));
    }

    private static String firstLine(String s) {
        if (s == null) return "no message";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
