package org.gdchaos.backend.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.gdchaos.backend.BackendOptions;

/**
 * Which way the CUDA backend gets its kernels and its GEMM, and why.
 *
 * <p>Kernels: {@link KernelPath#NVRTC} compiles {@code kernels/} at run time for the device
 * (needs {@code libnvrtc.so.12}); {@link KernelPath#EMBEDDED} loads the fat binary that nvcc
 * built from the same source and that the jar carries ({@link EmbeddedModule}; needs only the
 * driver, and a driver for CUDA ≥ {@link EmbeddedModule#minDriverVersion()} because nvcc 13 built it).
 * GEMM: {@link GemmPath#CUBLAS} ({@code libcublas.so.12}) or {@link GemmPath#OWN}, the shared
 * {@code gemm_tiled} kernel launched from the loaded module.
 *
 * <p>Choice ({@link #select}): option/property {@code gdchaos.cuda.kernels = auto|nvrtc|embedded}
 * and {@code gdchaos.cuda.gemm = auto|cublas|own} (default auto). {@code auto} takes NVRTC and
 * cuBLAS when they load (CUDA 12 installs see no change), else the embedded module and the own
 * GEMM. A forced path that cannot be used is an error that names why. In auto mode a library
 * that {@link NativeLibraries#locate} cannot find is not loaded at all, so JCuda's
 * {@code JNvrtc}/{@code JCublas2} classes (whose static initialisers load their natives) are
 * never touched on a driver-only machine; a forced path always tries to load. With
 * {@code gdchaos.cuda.shim=on}, a missing CUDA 12 library is replaced by {@link Cuda13Shim}
 * forwarding to the CUDA 13 one when that is present (the reason then says so).
 */
public final class CudaPaths {

    /** Where the kernels come from. */
    public enum KernelPath {
        NVRTC("nvrtc"), EMBEDDED("embedded");

        private final String label;

        KernelPath(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Who runs GEMM. */
    public enum GemmPath {
        CUBLAS("cublas"), OWN("own");

        private final String label;

        GemmPath(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * What is available on this machine. Each method returns null when the path can be used,
     * else a one-line reason; {@code forced} says whether the user asked for exactly this path
     * (then a library is loaded even when it cannot be located on disk).
     */
    public interface Libraries {
        /** Whether NVRTC ({@code libnvrtc.so.12} through JCuda's JNvrtc) loads. */
        String nvrtcProblem(boolean forced);

        /** Whether cuBLAS ({@code libcublas.so.12} through JCublas2) loads. */
        String cublasProblem(boolean forced);

        /** Whether the embedded module fits this jar's kernels and the driver. */
        String embeddedProblem(int driverVersion);

        /** When NVRTC is usable in an unusual way (e.g. through the CUDA 13 shim), why; else null. */
        default String nvrtcNote() {
            return null;
        }

        /** When cuBLAS is usable in an unusual way (e.g. through the CUDA 13 shim), why; else null. */
        default String cublasNote() {
            return null;
        }
    }

    /**
     * The chosen paths with their reasons.
     *
     * @param kernels    where kernels come from
     * @param kernelsWhy why (e.g. "default", "forced", "libnvrtc.so.12 not found")
     * @param gemm       who runs GEMM
     * @param gemmWhy    why
     */
    public record Selection(KernelPath kernels, String kernelsWhy, GemmPath gemm, String gemmWhy) {
        public Selection {
            Objects.requireNonNull(kernels, "kernels");
            Objects.requireNonNull(gemm, "gemm");
            Objects.requireNonNull(kernelsWhy, "kernelsWhy");
            Objects.requireNonNull(gemmWhy, "gemmWhy");
        }

        /** One line, e.g. {@code kernels: embedded (libnvrtc.so.12 not found); gemm: own (forced)}. */
        public String describe() {
            return "kernels: " + kernels.label() + " (" + kernelsWhy + "); gemm: " + gemm.label() + " (" + gemmWhy + ")";
        }
    }

    /** Property/option key of the kernel path. */
    public static final String KERNELS_KEY = "kernels";
    /** Property/option key of the GEMM path. */
    public static final String GEMM_KEY = "gemm";

    private CudaPaths() {
    }

    /**
     * Chooses kernels and GEMM for a driver of CUDA version {@code driverVersion} (e.g. 13000).
     *
     * @throws IllegalArgumentException for an unknown mode
     * @throws IllegalStateException    when a forced path, or every path in auto, is unavailable
     */
    public static Selection select(BackendOptions options, Libraries libs, int driverVersion) {
        String km = mode(options, KERNELS_KEY, "nvrtc", "embedded");
        String gm = mode(options, GEMM_KEY, "cublas", "own");
        KernelPath kernels;
        String kwhy;
        switch (km) {
            case "nvrtc" -> {
                String p = libs.nvrtcProblem(true);
                if (p != null) throw new IllegalStateException("gdchaos.cuda.kernels=nvrtc but NVRTC is unavailable: "
                        + p + " (fix: install the CUDA 12 NVRTC library, or use -Dgdchaos.cuda.kernels=auto)");
                kernels = KernelPath.NVRTC;
                kwhy = libs.nvrtcNote() != null ? "forced; " + libs.nvrtcNote() : "forced";
            }
            case "embedded" -> {
                String p = libs.embeddedProblem(driverVersion);
                if (p != null) throw new IllegalStateException("gdchaos.cuda.kernels=embedded but the embedded module"
                        + " is unusable: " + p);
                kernels = KernelPath.EMBEDDED;
                kwhy = "forced";
            }
            default -> {
                String p = libs.nvrtcProblem(false);
                if (p == null) {
                    kernels = KernelPath.NVRTC;
                    kwhy = libs.nvrtcNote() != null ? libs.nvrtcNote() : "default";
                } else {
                    String e = libs.embeddedProblem(driverVersion);
                    if (e != null) {
                        throw new IllegalStateException("no CUDA kernels: NVRTC: " + p + "; embedded module: " + e);
                    }
                    kernels = KernelPath.EMBEDDED;
                    kwhy = p;
                }
            }
        }
        GemmPath gemm;
        String gwhy;
        switch (gm) {
            case "cublas" -> {
                String p = libs.cublasProblem(true);
                if (p != null) throw new IllegalStateException("gdchaos.cuda.gemm=cublas but cuBLAS is unavailable: "
                        + p + " (fix: install the CUDA 12 cuBLAS library, or use -Dgdchaos.cuda.gemm=auto)");
                gemm = GemmPath.CUBLAS;
                gwhy = libs.cublasNote() != null ? "forced; " + libs.cublasNote() : "forced";
            }
            case "own" -> {
                gemm = GemmPath.OWN;
                gwhy = "forced";
            }
            default -> {
                String p = libs.cublasProblem(false);
                gemm = p == null ? GemmPath.CUBLAS : GemmPath.OWN;
                gwhy = p != null ? p : libs.cublasNote() != null ? libs.cublasNote() : "default";
            }
        }
        return new Selection(kernels, kwhy, gemm, gwhy);
    }

    private static String mode(BackendOptions options, String key, String a, String b) {
        String v = options.get("cuda", key, "auto").trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty() || v.equals("auto")) return "auto";
        if (v.equals(a) || v.equals(b)) return v;
        throw new IllegalArgumentException("gdchaos.cuda." + key + " must be auto, " + a + " or " + b + "; got '"
                + options.get("cuda", key, "") + "'");
    }

    /**
     * The real libraries: NVRTC and cuBLAS through JCuda (12.6, so {@code libnvrtc.so.12} and
     * {@code libcublas.so.12}), the embedded module from the jar. Each library is tried once
     * per process (JCuda cannot retry a failed native load).
     */
    static final class Native implements Libraries {
        private static String nvrtc, cublas, nvrtcNote, cublasNote;
        private static boolean nvrtcTried, cublasTried;
        private final boolean shim;

        /** Without the CUDA 13 shim. */
        Native() {
            this(false);
        }

        /** With the CUDA 13 shim when {@code shim} ({@code gdchaos.cuda.shim=on}, {@link Cuda13Shim}). */
        Native(boolean shim) {
            this.shim = shim;
        }

        @Override
        public String nvrtcProblem(boolean forced) {
            synchronized (Native.class) {
                if (!nvrtcTried) {
                    String p = prepare(Cuda13Shim.Lib.NVRTC, forced);
                    if (p != null) return p;                    // not cached: a forced try may still load it
                    nvrtcTried = true;
                    nvrtc = tryLoad(NvrtcCompiler::version);
                    if (nvrtc == null && Cuda13Shim.isLoaded(Cuda13Shim.Lib.NVRTC)) nvrtcNote = Cuda13Shim.note(Cuda13Shim.Lib.NVRTC);
                }
                return nvrtc;
            }
        }

        @Override
        public String cublasProblem(boolean forced) {
            synchronized (Native.class) {
                if (!cublasTried) {
                    String p = prepare(Cuda13Shim.Lib.CUBLAS, forced);
                    if (p != null) return p;
                    cublasTried = true;
                    cublas = tryLoad(CublasGemm::load);
                    if (cublas == null && Cuda13Shim.isLoaded(Cuda13Shim.Lib.CUBLAS)) cublasNote = Cuda13Shim.note(Cuda13Shim.Lib.CUBLAS);
                }
                return cublas;
            }
        }

        @Override
        public String nvrtcNote() {
            synchronized (Native.class) {
                return nvrtcNote;
            }
        }

        @Override
        public String cublasNote() {
            synchronized (Native.class) {
                return cublasNote;
            }
        }

        /**
         * Before JCuda's class for {@code lib} is touched: null when it should be loaded now
         * (the CUDA 12 library is located, or the shim was loaded in its place, or the path is
         * forced), else why it is not even tried.
         */
        private String prepare(Cuda13Shim.Lib lib, boolean forced) {
            if (NativeLibraries.locate(lib.soname12) != null) return null;
            String missing = lib.soname12 + " not found";
            if (shim) {
                String p = Cuda13Shim.problem(lib);
                if (p == null) {
                    try {
                        Cuda13Shim.load(lib);
                        return null;
                    } catch (Throwable t) {
                        return missing + "; the CUDA 13 shim did not load: " + CudaProbe.explain(t);
                    }
                }
                missing += "; CUDA 13 shim: " + p;
            } else if (Cuda13Shim.targetPresent(lib)) {
                missing += "; " + lib.soname13 + " is present: -Dgdchaos.cuda.shim=on may use it (unverified)";
            }
            return forced ? null : missing;
        }

        @Override
        public String embeddedProblem(int driverVersion) {
            return EmbeddedModule.problem(driverVersion);
        }

        private static String tryLoad(Runnable load) {
            try {
                load.run();
                return null;
            } catch (Throwable t) {
                return CudaProbe.explain(t);
            }
        }
    }

    /**
     * Finds a shared library the way the dynamic loader would for JCuda's natives, without
     * loading it: {@code LD_LIBRARY_PATH}, the RUNPATH of JCuda's natives
     * ({@code /usr/local/cuda-12.0/lib64}), the loader cache {@code /etc/ld.so.cache}, then the
     * default folders.
     */
    static final class NativeLibraries {
        private NativeLibraries() {
        }

        private static final List<String> DEFAULT_DIRS = List.of("/usr/local/cuda-12.0/lib64", "/lib64", "/usr/lib64",
                "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib", "/usr/lib");

        /** Where {@code soname} is, or "ld.so.cache" when only the loader cache names it, or null. */
        static String locate(String soname) {
            return locate(soname, System.getenv("LD_LIBRARY_PATH"), Path.of("/etc/ld.so.cache"), DEFAULT_DIRS);
        }

        static String locate(String soname, String ldLibraryPath, Path cache, List<String> defaults) {
            List<String> dirs = new ArrayList<>();
            if (ldLibraryPath != null) {
                for (String d : ldLibraryPath.split(":")) if (!d.isEmpty()) dirs.add(d);
            }
            for (String d : dirs) {
                if (Files.exists(Path.of(d, soname))) return Path.of(d, soname).toString();
            }
            try {
                if (Files.isReadable(cache)) {
                    byte[] needle = (soname + "\0").getBytes(StandardCharsets.US_ASCII);
                    if (indexOf(Files.readAllBytes(cache), needle) >= 0) return "ld.so.cache";
                }
            } catch (IOException | RuntimeException ignored) {
                // fall through to the default folders
            }
            for (String d : defaults) {
                if (Files.exists(Path.of(d, soname))) return Path.of(d, soname).toString();
            }
            return null;
        }

        private static int indexOf(byte[] hay, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= hay.length; i++) {
                for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
                return i;
            }
            return -1;
        }
    }
}
