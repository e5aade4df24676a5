package org.gdchaos.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jocl.CL;
import org.junit.jupiter.api.Test;

/** The OpenCL rank comes from the device type bits (no OpenCL needed). */
class OpenClRankTest {
    @Test
    void cpuDevicesRankBelowJavaEverythingElseAbove() {
        assertEquals(OpenClBackendProvider.RANK_CPU, OpenClBackendProvider.rankOf(CL.CL_DEVICE_TYPE_CPU));
        assertEquals(OpenClBackendProvider.RANK_CPU,
                OpenClBackendProvider.rankOf(CL.CL_DEVICE_TYPE_CPU | CL.CL_DEVICE_TYPE_DEFAULT));
        assertEquals(OpenClBackendProvider.RANK_GPU, OpenClBackendProvider.rankOf(CL.CL_DEVICE_TYPE_GPU));
        assertEquals(OpenClBackendProvider.RANK_GPU,
                OpenClBackendProvider.rankOf(CL.CL_DEVICE_TYPE_GPU | CL.CL_DEVICE_TYPE_DEFAULT));
        assertEquals(OpenClBackendProvider.RANK_GPU, OpenClBackendProvider.rankOf(CL.CL_DEVICE_TYPE_ACCELERATOR));
    }
}
