package org.gdchaos.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.gdchaos.backend.BackendOptions;

/**
 * gdchaos's CUDA 13 forwarding shims (optional, off by default, <b>unverified on a GPU</b>):
 * small libraries with the soname and ELF version node of {@code libcublas.so.12} /
 * {@code libnvrtc.so.12} that forward the few cuBLAS / NVRTC calls gdchaos makes to CUDA 13's
 * {@code libcublas.so.13} / {@code libnvrtc.so.13}, so that JCuda 12.6's natives load on a
 * machine with only CUDA 13 (sources: {@code src/main/c/cuda13-shim/}; built by
 * {@code tools/build-cuda13-shim.sh} during the Maven build where gcc exists). Loaded by
 * absolute path before JCuda's class, so the dynamic loader finds the soname already loaded.
 * Turned on with {@code -Dgdchaos.cuda.shim=on} (option {@code shim}); without it, a
 * {@code libcublas.so.13} that is present is only mentioned in the reason.
 */
final class Cuda13Shim {

    /** Classpath folder of the shims. */
    static final String RESOURCE_DIR = "/org/gdchaos/backend/cuda/shim/";

    /** The two shims. */
    enum Lib {
        CUBLAS("cublas12-shim.so", "libcublas.so.12", "libcublas.so.13", "GDCHAOS_CUBLAS13"),
        NVRTC("nvrtc12-shim.so", "libnvrtc.so.12", "libnvrtc.so.13", "GDCHAOS_NVRTC13");

        final String resource, soname12, soname13, env;

        Lib(String resource, String soname12, String soname13, String env) {
            this.resource = resource;
            this.soname12 = soname12;
            this.soname13 = soname13;
            this.env = env;
        }
    }

    private static final Set<Lib> LOADED = EnumSet.noneOf(Lib.class);

    private Cuda13Shim() {
    }

    /** Option/property {@code gdchaos.cuda.shim}: on or off (default). */
    static boolean enabled(BackendOptions options) {
        String v = options.get("cuda", "shim", "off").trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "on", "true", "1" -> true;
            case "off", "false", "0", "" -> false;
            default -> throw new IllegalArgumentException("gdchaos.cuda.shim must be on or off; got '" + v + "'");
        };
    }

    /** Whether the CUDA 13 library the shim forwards to is on this machine (path, env or loader cache). */
    static boolean targetPresent(Lib lib) {
        String override = System.getenv(lib.env);
        if (override != null && !override.isBlank()) return Files.exists(Path.of(override));
        return CudaPaths.NativeLibraries.locate(lib.soname13) != null;
    }

    /** Null when the shim can be loaded, else why not. */
    static String problem(Lib lib) {
        if (Cuda13Shim.class.getResource(RESOURCE_DIR + lib.resource) == null) {
            return "this jar has no CUDA 13 shim (it was built without gcc)";
        }
        if (!targetPresent(lib)) return lib.soname13 + " not found either";
        return null;
    }

    /**
     * Extracts the shim to a temporary file and loads it (once per process).
     *
     * @throws IllegalStateException when it cannot be extracted
     * @throws UnsatisfiedLinkError  when it cannot be loaded
     */
    static synchronized void load(Lib lib) {
        if (LOADED.contains(lib)) return;
        try (InputStream in = Cuda13Shim.class.getResourceAsStream(RESOURCE_DIR + lib.resource)) {
            if (in == null) throw new IllegalStateException("CUDA 13 shim " + lib.resource + " is not in this jar");
            Path file = Files.createTempFile("gdchaos-" + lib.soname12 + "-", ".so");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            System.load(file.toAbsolutePath().toString());
            LOADED.add(lib);
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract the CUDA 13 shim " + lib.resource + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@link #load} succeeded for {@code lib}. */
    static synchronized boolean isLoaded(Lib lib) {
        return LOADED.contains(lib);
    }

    /** The reason text when a shim is in use. */
    static String note(Lib lib) {
        return lib.soname12 + " not found; " + lib.soname13 + " through gdchaos's CUDA 13 shim, unverified on a GPU";
    }
}
