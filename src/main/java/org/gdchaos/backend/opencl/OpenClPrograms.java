package org.gdchaos.backend.opencl;

import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clReleaseProgram;
import static org.jocl.CL.clSetKernelArg;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.kernels.Arg;
import org.gdchaos.backend.kernels.KernelCall;
import org.gdchaos.backend.kernels.KernelSource;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

/**
 * Compiles the shared kernel source once per element type (on first use) as OpenCL C 1.2
 * ({@link #BUILD_OPTIONS}) and caches the program and its kernels. A failed build throws with
 * the compiler's build log.
 */
final class OpenClPrograms implements AutoCloseable {
    /**
     * Build options: the kernels are OpenCL C 1.2 (kernels/prelude.h), and the compiler is held
     * to it, so an OpenCL 2.x/3.0 feature that slips in fails here instead of on a 1.2 device.
     */
    static final String BUILD_OPTIONS = "-cl-std=CL1.2";

    private final cl_context context;
    private final cl_device_id device;
    private final boolean fp64;
    private final List<String> defines;
    private final Map<DType, cl_program> programs = new EnumMap<>(DType.class);
    private final Map<DType, Map<String, cl_kernel>> kernels = new EnumMap<>(DType.class);

    /**
     * @param defines extra {@code #define}s (tunables such as "GEMM_TK 32")
     */
    OpenClPrograms(cl_context context, cl_device_id device, boolean fp64, List<String> defines) {
        this.context = context;
        this.device = device;
        this.fp64 = fp64;
        this.defines = List.copyOf(defines);
    }

    /** The cached kernel {@code name} for {@code dtype}, compiling the program if needed. */
    cl_kernel kernel(DType dtype, String name) {
        Map<String, cl_kernel> byName = kernels.computeIfAbsent(dtype, t -> new HashMap<>());
        cl_kernel k = byName.get(name);
        if (k == null) {
            k = clCreateKernel(program(dtype), name, null);
            byName.put(name, k);
        }
        return k;
    }

    /**
     * Sets the arguments of a checked launch from the kernel table in order ({@code int},
     * {@code long} for OFF_T, REAL as float or double by the call's dtype, {@code cl_mem}) and
     * enqueues it with global = groups × local.
     */
    void enqueue(cl_command_queue queue, KernelCall c) {
        cl_kernel k = kernel(c.dtype(), c.kernel().kernelName());
        int index = 0;
        for (Arg a : c.args()) {
            if (a instanceof Arg.Int v) {
                clSetKernelArg(k, index++, Sizeof.cl_int, Pointer.to(new int[] {v.value()}));
            } else if (a instanceof Arg.Off v) {
                clSetKernelArg(k, index++, Sizeof.cl_long, Pointer.to(new long[] {v.value()}));
            } else if (a instanceof Arg.Real v && c.dtype() == DType.F64) {
                clSetKernelArg(k, index++, Sizeof.cl_double, Pointer.to(new double[] {v.value()}));
            } else if (a instanceof Arg.Real v) {
                clSetKernelArg(k, index++, Sizeof.cl_float, Pointer.to(new float[] {(float) v.value()}));
            } else if (a instanceof Arg.Pointer p) {
                clSetKernelArg(k, index++, Sizeof.cl_mem, Pointer.to((cl_mem) p.memory()));
            } else {
                throw new IllegalArgumentException("unexpanded operand in " + c);
            }
        }
        long[] global = c.global();
        long[] local = java.util.Arrays.stream(c.local()).asLongStream().toArray();
        try {
            clEnqueueNDRangeKernel(queue, k, global.length, null, global, local, 0, null, null);
        } catch (RuntimeException e) {
            throw new IllegalStateException("OpenCL kernel " + c.kernel().kernelName() + " (" + c.dtype().label()
                    + ") failed to launch: " + e.getMessage(), e);
        }
    }

    cl_program program(DType dtype) {
        cl_program p = programs.get(dtype);
        if (p != null) return p;
        String source = KernelSource.assemble(KernelSource.Dialect.OPENCL, dtype, fp64, defines);
        p = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            clBuildProgram(p, 1, new cl_device_id[] {device}, BUILD_OPTIONS, null, null);
        } catch (CLException e) {
            String log = buildLog(p);
            clReleaseProgram(p);
            throw new IllegalStateException("OpenCL kernel build failed (" + dtype.label() + ", "
                    + e.getMessage() + "); build log:\n" + log, e);
        }
        programs.put(dtype, p);
        return p;
    }

    private String buildLog(cl_program p) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] bytes = new byte[(int) size[0]];
            clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
            int n = bytes.length;
            while (n > 0 && bytes[n - 1] == 0) n--;
            return new String(bytes, 0, n, StandardCharsets.UTF_8);
        } catch (CLException e) {
            return "(build log unavailable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        for (Map<String, cl_kernel> byName : kernels.values()) {
            for (cl_kernel k : byName.values()) clReleaseKernel(k);
        }
        kernels.clear();
        for (cl_program p : programs.values()) clReleaseProgram(p);
        programs.clear();
    }
}
