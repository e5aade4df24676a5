package org.gdchaos.backend.cuda;

import java.util.Objects;

/**
 * A CUDA device as the driver reports it.
 *
 * @param ordinal         device index after {@code CUDA_VISIBLE_DEVICES} filtering
 * @param name            e.g. "NVIDIA H100 80GB HBM3"
 * @param major           compute capability, major part
 * @param minor           compute capability, minor part
 * @param totalMemory     device memory in bytes
 * @param multiprocessors streaming multiprocessors
 * @param driverVersion   CUDA version the driver supports, e.g. 12040 for 12.4
 */
public record DeviceInfo(int ordinal, String name, int major, int minor, long totalMemory,
                         int multiprocessors, int driverVersion) {
    public DeviceInfo {
        Objects.requireNonNull(name, "name");
        if (ordinal < 0 || major < 1 || minor < 0 || totalMemory < 0 || multiprocessors < 0) {
            throw new IllegalArgumentException("bad device info for " + name);
        }
    }

    /** NVRTC architecture option for real code, e.g. {@code --gpu-arch=sm_90}. */
    public String smArch() {
        return "--gpu-arch=sm_" + major + minor;
    }

    /** NVRTC architecture option for virtual code (PTX), e.g. {@code --gpu-arch=compute_90}. */
    public String computeArch() {
        return "--gpu-arch=compute_" + major + minor;
    }

    /** One-line description, e.g. "NVIDIA H100 (sm_90, 132 SMs, 79.1 GiB, driver CUDA 12.4)". */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%s (device %d, sm_%d%d, %d SMs, %.1f GiB, driver CUDA %d.%d)",
                name, ordinal, major, minor, multiprocessors, totalMemory / (double) (1L << 30),
                driverVersion / 1000, driverVersion % 1000 / 10);
    }
}
