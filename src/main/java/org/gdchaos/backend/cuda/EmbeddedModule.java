package org.gdchaos.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.kernels.KernelSource;

/**
 * The kernel module that nvcc compiled from {@code kernels/} at build time and the jar carries
 * under {@value #RESOURCE_DIR}: per dtype a fat binary {@code gdchaos_<dtype>.fatbin} (cubins for
 * the architectures in the manifest plus PTX for newer GPUs), loaded with
 * {@code cuModuleLoadData}, so CUDA runs with nothing but the NVIDIA driver.
 *
 * <p>Produced by {@code tools/build-cuda-module.sh} (one command, deterministic), which writes
 * the fat binaries and {@value #MANIFEST}: the nvcc version and flags, the architecture list,
 * the oldest driver that loads the module, and per dtype the SHA-256 of the assembled source
 * ({@code KernelSource.assemble(CUDA, dtype, true)} as UTF-8) and of the fat binary. At run time
 * the module is used only when its source hash equals the hash of this jar's kernel source
 * (otherwise it was built from other kernels: "stale"), and the driver supports at least
 * {@code min.driver}.
 */
public final class EmbeddedModule {

    /** Classpath folder of the module. */
    public static final String RESOURCE_DIR = "/org/gdchaos/kernels/cuda/";
    /** Manifest file name. */
    public static final String MANIFEST = "module.properties";
    /** The command that regenerates the module. */
    public static final String SCRIPT = "tools/build-cuda-module.sh";

    private static Properties manifest;

    private EmbeddedModule() {
    }

    /** The manifest, or null when the jar has no embedded module. */
    static synchronized Properties manifest() {
        if (manifest == null) {
            try (InputStream in = EmbeddedModule.class.getResourceAsStream(RESOURCE_DIR + MANIFEST)) {
                if (in == null) return null;
                Properties p = new Properties();
                p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
                manifest = p;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE_DIR + MANIFEST, e);
            }
        }
        return manifest;
    }

    /** The assembled CUDA source the module must have been built from. */
    public static String source(DType dtype) {
        return KernelSource.assemble(KernelSource.Dialect.CUDA, dtype, true);
    }

    /** Lower-case hex SHA-256 of a string's UTF-8 bytes. */
    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Lower-case hex SHA-256. */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Oldest driver CUDA version (e.g. 13000) that loads the module, from the manifest. */
    static int minDriverVersion() {
        Properties m = manifest();
        return m == null ? Integer.MAX_VALUE : Integer.parseInt(m.getProperty("min.driver", "13000").trim());
    }

    /**
     * Null when the embedded module can be used with a driver of CUDA version
     * {@code driverVersion}, else why not (one line with the fix).
     */
    static String problem(int driverVersion) {
        return problem(manifest(), EmbeddedModule::source, driverVersion);
    }

    /**
     * {@link #problem(int)} for a given manifest (null: none) and kernel sources: stale when a
     * dtype's {@code <dtype>.source.sha256} differs from the SHA-256 of {@code sources}; too old
     * a driver when {@code driverVersion < min.driver}.
     */
    static String problem(Properties m, java.util.function.Function<DType, String> sources, int driverVersion) {
        if (m == null) {
            return "this jar carries no embedded CUDA module (fix: build it with " + SCRIPT + " where nvcc exists)";
        }
        for (DType t : DType.values()) {
            String want = m.getProperty(t.label() + ".source.sha256");
            if (want == null || !want.equals(sha256(sources.apply(t)))) {
                return "the embedded CUDA module is stale: it was built from other kernel sources than this jar's"
                        + " (fix: run " + SCRIPT + " and rebuild)";
            }
        }
        int min = Integer.parseInt(m.getProperty("min.driver", "13000").trim());
        if (driverVersion < min) {
            return String.format(Locale.ROOT, "the embedded module needs a driver for CUDA %d.%d or newer (built by"
                    + " nvcc %s); this driver supports CUDA %d.%d (fix: upgrade the NVIDIA driver, or install the"
                    + " CUDA 12 NVRTC library)", min / 1000, min % 1000 / 10, m.getProperty("nvcc.release", "?"),
                    driverVersion / 1000, driverVersion % 1000 / 10);
        }
        return null;
    }

    /**
     * The oldest compute capability (e.g. 80) with code in the module: the lowest cubin in the
     * manifest (a cubin runs on equal or higher minors of its major; the PTX on newer GPUs).
     */
    static int minComputeCapability(Properties m) {
        int min = Integer.MAX_VALUE;
        for (String c : m.getProperty("cubins", "").trim().split("\\s+")) {
            if (c.startsWith("sm_")) min = Math.min(min, Integer.parseInt(c.substring(3).replaceAll("\\D", "")));
        }
        return min;
    }

    /**
     * The fat binary for {@code dtype}, after checking {@link #problem} (with {@code driverVersion})
     * and that a device of compute capability {@code cc} (e.g. 90) is not older than the module.
     */
    static byte[] image(DType dtype, int driverVersion, int cc) {
        String p = problem(driverVersion);
        if (p != null) throw new IllegalStateException(p);
        int min = minComputeCapability(manifest());
        if (cc < min) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the embedded CUDA module has code for compute"
                    + " capability %d.%d and newer, this GPU is %d.%d (fix: install the CUDA 12 NVRTC library,"
                    + " libnvrtc.so.12)", min / 10, min % 10, cc / 10, cc % 10));
        }
        String name = manifest().getProperty(dtype.label() + ".fatbin", "gdchaos_" + dtype.label() + ".fatbin");
        try (InputStream in = EmbeddedModule.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) throw new IllegalStateException("embedded CUDA module " + RESOURCE_DIR + name + " is missing");
            byte[] data = in.readAllBytes();
            String want = manifest().getProperty(dtype.label() + ".fatbin.sha256");
            if (want != null && !want.equals(sha256(data))) {
                throw new IllegalStateException("embedded CUDA module " + name + " does not match its manifest hash"
                        + " (fix: run " + SCRIPT + ")");
            }
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read embedded CUDA module " + name, e);
        }
    }

    /** Short description for messages, e.g. "embedded fatbin sm_80 sm_90 … + compute_120 (nvcc 13.0)". */
    static String describe(DType dtype) {
        Properties m = manifest();
        return "embedded " + dtype.label() + " fatbin " + m.getProperty("cubins", "") + " + "
                + m.getProperty("ptx", "") + " (nvcc " + m.getProperty("nvcc.release", "?") + ")";
    }

    /**
     * Build step of {@value #SCRIPT}: writes {@code gdchaos_f32.cu} and {@code gdchaos_f64.cu}
     * (the assembled sources, UTF-8) into the folder {@code args[0]}.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: EmbeddedModule OUTPUT_FOLDER");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (DType t : DType.values()) {
            Files.writeString(dir.resolve("gdchaos_" + t.label() + ".cu"), source(t), StandardCharsets.UTF_8);
        }
    }
}
