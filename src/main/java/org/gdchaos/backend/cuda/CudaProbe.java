package org.gdchaos.backend.cuda;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.gdchaos.backend.kernels.Arg;
import org.gdchaos.backend.kernels.KernelCalls;
import org.gdchaos.backend.Availability;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;

/**
 * Whether CUDA can run here, decided once per process, by doing what the backend will do: the
 * probe initialises the driver ({@code libcuda.so.1}) and inspects the chosen device, chooses
 * the kernel and GEMM paths ({@link CudaPaths}: NVRTC or the embedded module, cuBLAS or the own
 * GEMM kernel), opens a {@link NativeCudaDriver} on them (context, stream, and the cuBLAS handle
 * on the cuBLAS path), builds or loads the modules of both dtypes, and runs tiny work whose
 * result it reads back ({@link #prove}): a {@code fill} kernel and a 2×2 GEMM on the selected
 * GEMM path. Only then is CUDA "available" for {@code auto}. JCuda reports a missing library as
 * {@link UnsatisfiedLinkError} on the first try and {@link NoClassDefFoundError} on every later
 * one, so the first answer is cached; nothing here throws.
 */
public final class CudaProbe {

    /** Oldest driver API version the CUDA 12 libraries run on (12.0). */
    static final int MIN_DRIVER_VERSION = 12000;
    /** Oldest compute capability CUDA 12's NVRTC and cuBLAS support (5.0). */
    static final int MIN_COMPUTE_CAPABILITY = 50;

    private static final String DRIVER_FIX = "install the NVIDIA driver, version 525 or newer; in Docker run with"
            + " --gpus all and the NVIDIA Container Toolkit";
    private static final String LIBS_FIX = "install the CUDA 12 runtime libraries (e.g. apt install cuda-nvrtc-12-6"
            + " libcublas-12-6) and add their folder to LD_LIBRARY_PATH, or use docker/Dockerfile.cuda";
    private static final Pattern MISSING_LIB = Pattern.compile("(lib[\\w.+-]*?\\.so(?:\\.\\d+)*): cannot open shared object file");

    private static final Pattern VERSION_NODE = Pattern.compile("version `(lib[\\w.+-]*?\\.so(?:\\.\\d+)*)' not found");

    private static Availability cached;

    private CudaProbe() {
    }

    /** The cached probe result for the device chosen by {@code gdchaos.cuda.device} (default 0). */
    public static synchronized Availability result() {
        if (cached == null) {
            cached = run();
        }
        return cached;
    }

    /** Device ordinal from option {@code device} / property {@code gdchaos.cuda.device}. */
    static int deviceOrdinal(BackendOptions options) {
        String v = options.get("cuda", "device", "0").trim();
        try {
            int d = Integer.parseInt(v);
            if (d < 0) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gdchaos.cuda.device must be a device index 0, 1, ...; got '" + v + "'");
        }
    }

    private static Availability run() {
        BackendOptions options = BackendOptions.defaults();
        CudaPaths.Libraries libs;
        try {
            libs = new CudaPaths.Native(Cuda13Shim.enabled(options));
        } catch (IllegalArgumentException e) {
            return Availability.no(e.getMessage());
        }
        return probe(options, libs, CudaProbe::query,
                (info, paths) -> new NativeCudaDriver(info.ordinal(), paths, EmbeddedModule::source));
    }

    /**
     * The probe with its parts given (tests pass fakes): query the device, select the paths,
     * open a driver on them, {@link #prove} it, close it. Never throws.
     */
    static Availability probe(BackendOptions options, CudaPaths.Libraries libs,
                              java.util.function.IntFunction<DeviceInfo> query,
                              java.util.function.BiFunction<DeviceInfo, CudaPaths.Selection, CudaDriver> open) {
        try {
            DeviceInfo info = query.apply(deviceOrdinal(options));
            CudaPaths.Selection paths = CudaPaths.select(options, libs, info.driverVersion());
            try (CudaDriver driver = open.apply(info, paths)) {
                prove(driver);
            }
            return Availability.yes(info.describe() + "; " + paths.describe());
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Availability.no(firstLine(e.getMessage()));
        } catch (Throwable t) {
            return Availability.no(explain(t));
        }
    }

    private static String firstLine(String s) {
        return s == null ? "unknown CUDA error" : s.lines().findFirst().orElse("").trim();
    }

    /**
     * Proves that an opened driver works: prepares the modules of both dtypes (NVRTC build or
     * embedded load), runs {@code fill} (f64, 2 elements at offset 1 of 4 zeroed ones) and a
     * 2×2 GEMM {@code [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]]} in f32 on the selected GEMM
     * path (cuBLAS or {@code gemm_tiled}), reads both back and compares exactly (small integers).
     *
     * @throws IllegalStateException naming the step that failed or the values that came back
     */
    static void prove(CudaDriver d) {
        for (DType t : DType.values()) d.prepare(t);
        CudaDriver.Memory m = d.allocate(4 * 8);
        CudaDriver.Memory g = null;
        CudaDriver.Pinned p = null;
        Cleanup c = new Cleanup();
        try {
            p = d.allocatePinned(4 * 8 + 12 * 4);
            g = d.allocate(12 * 4);
            ByteBuffer host = p.data();
            float[] ab = {1, 2, 3, 4, 5, 6, 7, 8};
            for (int i = 0; i < 8; i++) host.putFloat(32 + 4 * i, ab[i]);
            d.copyToDevice(p, 32, g, 0, 8 * 4);
            d.awaitStaging(p);
            d.memsetZero(m, 0, 32);
            d.memsetZero(g, 32, 16);                              // C: a GEMM that writes nothing reads back 0
            d.launch(KernelLaunch.of(KernelCalls.fill(DType.F64, m, 1, 2, 1.5)));
            Arg.Operand a = new Arg.Operand(g, 0, 0), b = new Arg.Operand(g, 4, 0);
            Arg.Operand out = new Arg.Operand(g, 8, 4);
            GemmShape s = new GemmShape(1, 2, 2, 2, false, false, 1, 0);
            if (d.paths().gemm() == CudaPaths.GemmPath.OWN) {
                d.launch(KernelLaunch.of(KernelCalls.gemm(DType.F32, s, a, b, out)));
            } else {
                for (CublasGemmArgs args : CublasGemmArgs.plan(s, 0, 0, 4, 0, 8, 4)) {
                    d.gemm(DType.F32, args, 1, g, g, 0, g);
                }
            }
            d.copyToHost(m, 0, p, 0, 32);
            d.copyToHost(g, 32, p, 32 + 32, 16);
            d.synchronize();
            double[] fill = new double[4];
            for (int i = 0; i < 4; i++) fill[i] = host.getDouble(8 * i);
            if (!Arrays.equals(fill, new double[] {0, 1.5, 1.5, 0})) {
                throw new IllegalStateException("the CUDA test kernel ran but returned " + Arrays.toString(fill)
                        + " instead of [0.0, 1.5, 1.5, 0.0] (fix: check the driver; try -Dgdchaos.cuda.kernels=nvrtc"
                        + " or embedded)");
            }
            float[] cm = new float[4];
            for (int i = 0; i < 4; i++) cm[i] = host.getFloat(64 + 4 * i);
            if (!Arrays.equals(cm, new float[] {19, 22, 43, 50})) {
                throw new IllegalStateException("the CUDA test GEMM (" + d.paths().gemm().label() + ") returned "
                        + Arrays.toString(cm) + " instead of [19.0, 22.0, 43.0, 50.0] (fix: try"
                        + " -Dgdchaos.cuda.gemm=own or cublas)");
            }
        } catch (RuntimeException e) {
            c.add(e);
        } finally {
            CudaDriver.Memory gg = g;
            CudaDriver.Pinned pp = p;
            c.run(() -> d.free(m));
            if (gg != null) c.run(() -> d.free(gg));
            if (pp != null) c.run(() -> d.freePinned(pp));
        }
        c.finish();
    }

    /**
     * Initialises the driver and describes device {@code ordinal}.
     *
     * @throws IllegalStateException with reason and fix when the driver is too old, no device is
     *                               visible, or the device is unsupported
     */
    static DeviceInfo query(int ordinal) {
        JCudaDriver.setExceptionsEnabled(false);
        int rc = JCudaDriver.cuInit(0);
        if (rc != CUresult.CUDA_SUCCESS) throw new IllegalStateException(explainResult(rc));
        int[] version = {0};
        NativeCudaDriver.check(JCudaDriver.cuDriverGetVersion(version), "cuDriverGetVersion");
        if (version[0] < MIN_DRIVER_VERSION) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the NVIDIA driver supports CUDA %d.%d, but"
                    + " CUDA 12 is needed (fix: upgrade the driver to version 525 or newer)",
                    version[0] / 1000, version[0] % 1000 / 10));
        }
        int[] count = {0};
        NativeCudaDriver.check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
        if (count[0] == 0) throw new IllegalStateException(explainResult(CUresult.CUDA_ERROR_NO_DEVICE));
        if (ordinal >= count[0]) {
            throw new IllegalStateException("CUDA device " + ordinal + " requested but only " + count[0]
                    + " visible (fix: set gdchaos.cuda.device to 0.." + (count[0] - 1) + " or check CUDA_VISIBLE_DEVICES)");
        }
        CUdevice device = new CUdevice();
        NativeCudaDriver.check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet");
        byte[] name = new byte[256];
        NativeCudaDriver.check(JCudaDriver.cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        int len = 0;
        while (len < name.length && name[len] != 0) len++;
        long[] memory = {0};
        NativeCudaDriver.check(JCudaDriver.cuDeviceTotalMem(memory, device), "cuDeviceTotalMem");
        int major = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        int minor = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        int sms = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        String deviceName = new String(name, 0, len, java.nio.charset.StandardCharsets.UTF_8);
        if (major * 10 + minor < MIN_COMPUTE_CAPABILITY) {
            throw new IllegalStateException(deviceName + " has compute capability " + major + "." + minor
                    + ", but CUDA 12 needs 5.0 or newer (fix: use a newer GPU or another backend)");
        }
        return new DeviceInfo(ordinal, deviceName, major, minor, memory[0], sms, version[0]);
    }

    private static int attribute(CUdevice device, int attribute) {
        int[] v = {0};
        NativeCudaDriver.check(JCudaDriver.cuDeviceGetAttribute(v, attribute, device), "cuDeviceGetAttribute");
        return v[0];
    }

    /**
     * Reason and fix for a failed {@code cuInit}: a pure function of the driver API result code
     * ({@code CUresult}; the runtime API's numbers, e.g. 35 = cudaErrorInsufficientDriver, never
     * come from {@code cuInit}).
     */
    static String explainResult(int rc) {
        switch (rc) {
            case 100: // CUDA_ERROR_NO_DEVICE
                return "no CUDA device is visible (fix: check nvidia-smi and CUDA_VISIBLE_DEVICES; in Docker add --gpus all)";
            case 34: // CUDA_ERROR_STUB_LIBRARY
                return "the libcuda.so.1 that was loaded is the CUDA toolkit's stub (…/lib64/stubs), not the NVIDIA"
                        + " driver (fix: remove the stubs folder from LD_LIBRARY_PATH; in Docker run with --gpus all and"
                        + " the NVIDIA Container Toolkit so the driver's libcuda.so.1 is mounted)";
            case 802: // CUDA_ERROR_SYSTEM_NOT_READY
                return "the CUDA system is not ready (fix: on NVSwitch systems start nvidia-fabricmanager; check"
                        + " nvidia-smi)";
            case 803: // CUDA_ERROR_SYSTEM_DRIVER_MISMATCH
                return "the NVIDIA driver is too old or does not match its kernel module (fix: " + DRIVER_FIX + ")";
            case 804: // CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE
                return "CUDA forward compatibility is not supported on this device (fix: upgrade the NVIDIA driver)";
            default:
                return "cuInit failed with " + CUresult.stringFor(rc) + " (fix: check that nvidia-smi works)";
        }
    }

    /**
     * One line with reason and fix for a failure while loading or initialising CUDA: the
     * missing library named in an {@link UnsatisfiedLinkError}, a class JCuda failed to
     * initialise earlier, or the exception's first line.
     */
    static String explain(Throwable t) {
        String msg = t.getMessage() == null ? "" : t.getMessage();
        if (t instanceof UnsatisfiedLinkError) {
            Matcher v = VERSION_NODE.matcher(msg);
            if (v.find()) {
                return "the " + v.group(1) + " that was found lacks the ELF version node " + v.group(1)
                        + " (it is another CUDA version's library, e.g. a symlink to CUDA 13's) (fix: install the CUDA 12"
                        + " library, or let gdchaos use its embedded kernels and own GEMM: remove the symlink)";
            }
            Matcher m = MISSING_LIB.matcher(msg);
            if (m.find()) {
                String lib = m.group(1);
                if (lib.startsWith("libcuda.so")) {
                    return "no NVIDIA driver: " + lib + " not found (fix: " + DRIVER_FIX + ")";
                }
                if (lib.startsWith("libnvrtc") || lib.startsWith("libcublas")) {
                    return "CUDA 12 library " + lib + " not found (fix: " + LIBS_FIX + ")";
                }
                return "native library " + lib + " not found (fix: " + LIBS_FIX + ")";
            }
            if (msg.contains("in java.library.path") || msg.contains("Error while loading native library")) {
                return "JCuda has no native library for " + System.getProperty("os.name") + "/"
                        + System.getProperty("os.arch") + " (fix: use Linux x86-64 or Windows x86-64, or another backend)";
            }
        }
        if (t instanceof NoClassDefFoundError && msg.contains("Could not initialize class")) {
            return "the CUDA libraries failed to load earlier in this process (" + msg
                    + ") (fix: see the first CUDA error; check the NVIDIA driver and CUDA 12 libraries)";
        }
        String first = msg.lines().findFirst().orElse("").trim();
        return t.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + first)
                + " (fix: check the NVIDIA driver and CUDA 12 libraries)";
    }
}
