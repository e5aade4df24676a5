package org.gdchaos.backend.cuda;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;
import jcuda.nvrtc.nvrtcResult;

/**
 * Run-time compilation of the shared kernels with NVRTC, cached per (source, architecture)
 * for the life of the process.
 *
 * <p>Target choice ({@link #target}): when this NVRTC knows the device's architecture
 * {@code sm_XY}, compile straight to a cubin ({@code --gpu-arch=sm_XY}); the driver loads it
 * without JIT, so a newer NVRTC than the driver is fine (PTX from a newer NVRTC would fail to
 * load on an older driver with CUDA_ERROR_UNSUPPORTED_PTX_VERSION). When the device is newer
 * than this NVRTC, compile PTX for the newest older virtual architecture
 * ({@code --gpu-arch=compute_AB}) and let the (newer) driver JIT it.
 */
final class NvrtcCompiler {

    /** A compiled module image: cubin bytes, or NUL-terminated PTX text. */
    record Image(byte[] data, boolean cubin, String option) {
        String describe() {
            return (cubin ? "cubin " : "PTX ") + option + ", " + data.length + " bytes";
        }
    }

    /** NVRTC options for one target. */
    record Target(String archOption, boolean cubin) {
    }

    private static final Map<String, Image> CACHE = new ConcurrentHashMap<>();

    private NvrtcCompiler() {
    }

    /**
     * The NVRTC target for a device of compute capability {@code cc} (e.g. 90), given the
     * architectures this NVRTC supports ({@code nvrtcGetSupportedArchs}, e.g. [50, …, 90]).
     *
     * @throws IllegalStateException if NVRTC supports no architecture at or below cc
     */
    static Target target(int cc, int[] supported) {
        int best = -1;
        for (int a : supported) {
            if (a == cc) return new Target("--gpu-arch=sm_" + cc, true);
            if (a < cc && a > best) best = a;
        }
        if (best < 0) {
            throw new IllegalStateException("this NVRTC does not support compute capability " + cc / 10 + "."
                    + cc % 10 + " (supported: " + Arrays.toString(supported) + ")");
        }
        return new Target("--gpu-arch=compute_" + best, false);
    }

    /**
     * Loads JNvrtc and {@code libnvrtc.so.12} (throws UnsatisfiedLinkError and the like when
     * that fails) and returns NVRTC's version, e.g. "12.6".
     */
    static String version() {
        JNvrtc.setExceptionsEnabled(false);
        int[] major = {0}, minor = {0};
        check(JNvrtc.nvrtcVersion(major, minor), "nvrtcVersion");
        return major[0] + "." + minor[0];
    }

    /** Options passed to NVRTC besides the architecture. */
    static List<String> baseOptions() {
        return List.of("--std=c++14", "-default-device");
    }

    /**
     * Compiles {@code source} for {@code device} (cached).
     *
     * @throws IllegalStateException with NVRTC's log when compilation fails
     */
    static Image compile(String source, String name, DeviceInfo device) {
        JNvrtc.setExceptionsEnabled(false);
        int[] count = {0};
        check(JNvrtc.nvrtcGetNumSupportedArchs(count), "nvrtcGetNumSupportedArchs");
        int[] archs = new int[count[0]];
        check(JNvrtc.nvrtcGetSupportedArchs(archs), "nvrtcGetSupportedArchs");
        Target t = target(device.major() * 10 + device.minor(), archs);
        String key = t + "\n" + name + "\n" + source;
        return CACHE.computeIfAbsent(key, k -> build(source, name, t));
    }

    private static Image build(String source, String name, Target t) {
        nvrtcProgram program = new nvrtcProgram();
        check(JNvrtc.nvrtcCreateProgram(program, source, name + ".cu", 0, null, null), "nvrtcCreateProgram");
        try {
            String[] options = new String[baseOptions().size() + 1];
            options[0] = t.archOption();
            for (int i = 1; i < options.length; i++) options[i] = baseOptions().get(i - 1);
            int rc = JNvrtc.nvrtcCompileProgram(program, options.length, options);
            if (rc != nvrtcResult.NVRTC_SUCCESS) {
                String[] log = {""};
                JNvrtc.nvrtcGetProgramLog(program, log);
                throw new IllegalStateException("NVRTC could not compile " + name + " with " + String.join(" ", options)
                        + ": " + nvrtcResult.stringFor(rc) + "\n" + log[0]);
            }
            if (t.cubin()) {
                long[] size = {0};
                check(JNvrtc.nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize");
                byte[] cubin = new byte[(int) size[0]];
                check(JNvrtc.nvrtcGetCUBIN(program, cubin), "nvrtcGetCUBIN");
                return new Image(cubin, true, t.archOption());
            }
            String[] ptx = {null};
            check(JNvrtc.nvrtcGetPTX(program, ptx), "nvrtcGetPTX");
            byte[] text = ptx[0].getBytes(StandardCharsets.US_ASCII);
            byte[] terminated = Arrays.copyOf(text, text.length + 1);
            return new Image(terminated, false, t.archOption());
        } finally {
            JNvrtc.nvrtcDestroyProgram(program);
        }
    }

    private static void check(int rc, String call) {
        if (rc != nvrtcResult.NVRTC_SUCCESS) {
            throw new IllegalStateException(call + " failed: " + nvrtcResult.stringFor(rc));
        }
    }
}
