package org.gdchaos.backend.opencl;

import static org.jocl.CL.CL_DEVICE_AVAILABLE;
import static org.jocl.CL.CL_DEVICE_COMPILER_AVAILABLE;
import static org.jocl.CL.CL_DEVICE_EXTENSIONS;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_NOT_FOUND;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DRIVER_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_PLATFORM_NOT_FOUND_KHR;
import static org.jocl.CL.CL_PLATFORM_VERSION;
import static org.jocl.CL.clGetDeviceIDs;
import static org.jocl.CL.clGetDeviceInfo;
import static org.jocl.CL.clGetPlatformIDs;
import static org.jocl.CL.clGetPlatformInfo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * OpenCL platform and device discovery and choice. Without a selection the first GPU wins,
 * else the first CPU, else the first accelerator, else any other device. A selection
 * ({@code platform}/{@code device} option, or system properties {@code gdchaos.opencl.platform},
 * {@code gdchaos.opencl.device}) is a zero-based index or a case-insensitive name substring;
 * a device index counts the devices of the selected platforms in order.
 */
final class OpenClDevices {

    /** The install hint appended to every "unavailable" reason. */
    static final String FIX = "(fix: apt-get install pocl-opencl-icd ocl-icd-libopencl1, "
            + "or install your GPU vendor's OpenCL driver)";

    private OpenClDevices() {
    }

    /** Why OpenCL cannot be used here; the message completes "OpenCL unavailable, because …". */
    static final class Unavailable extends RuntimeException {
        Unavailable(String reason) {
            super(reason);
        }
    }

    /** One device with the properties gdchaos needs. */
    record Device(cl_platform_id platform, cl_device_id id, String platformName, String platformVersion,
                  String name, String version, long type, boolean fp64, long globalMemory,
                  long maxAllocation, int computeUnits, boolean usable) {

        /** Human description, e.g. "pthread-skylake (Portable Computing Language, OpenCL 3.0, driver 3.1), CPU, 2 compute units". */
        String describe() {
            return name + " (" + platformName + ", " + version + "), " + typeName(type) + ", "
                    + computeUnits + " compute units" + (fp64 ? "" : ", no fp64");
        }

        /** Preference of automatic choice: GPU 0, CPU 1, accelerator 2, other 3. */
        int preference() {
            if ((type & CL_DEVICE_TYPE_GPU) != 0) return 0;
            if ((type & CL_DEVICE_TYPE_CPU) != 0) return 1;
            if ((type & CL_DEVICE_TYPE_ACCELERATOR) != 0) return 2;
            return 3;
        }
    }

    static String typeName(long type) {
        if ((type & CL_DEVICE_TYPE_GPU) != 0) return "GPU";
        if ((type & CL_DEVICE_TYPE_CPU) != 0) return "CPU";
        if ((type & CL_DEVICE_TYPE_ACCELERATOR) != 0) return "accelerator";
        return "other";
    }

    /**
     * Chooses the device for the given selections (null or blank = automatic).
     *
     * @throws Unavailable   when there is no platform, no (usable) device, or no match
     * @throws LinkageError  when the ICD loader or JOCL's native library is missing
     */
    static Device choose(String platformSelection, String deviceSelection) {
        CL.setExceptionsEnabled(true);
        List<cl_platform_id> platforms = platforms();
        List<String> platformNames = new ArrayList<>();
        for (cl_platform_id p : platforms) platformNames.add(platformString(p, CL_PLATFORM_NAME));
        List<Integer> chosenPlatforms = pick(platformSelection, platformNames, "platform");
        List<Device> devices = new ArrayList<>();
        for (int pi : chosenPlatforms) devices.addAll(devices(platforms.get(pi), platformNames.get(pi)));
        if (devices.isEmpty()) {
            throw new Unavailable("no OpenCL device on platform(s) "
                    + chosenPlatforms.stream().map(platformNames::get).collect(Collectors.joining(", ")));
        }
        if (deviceSelection != null && !deviceSelection.isBlank()) {
            List<String> names = devices.stream().map(Device::name).collect(Collectors.toList());
            Device d = devices.get(pick(deviceSelection, names, "device").get(0));
            if (!d.usable()) throw new Unavailable("OpenCL device '" + d.name() + "' is not available or has no compiler");
            return d;
        }
        return devices.stream().filter(Device::usable).min(Comparator.comparingInt(Device::preference))
                .orElseThrow(() -> new Unavailable("no OpenCL device is available with a compiler (found: "
                        + devices.stream().map(Device::name).collect(Collectors.joining(", ")) + ")"));
    }

    /** Indices matching a selection: all when blank, else the index or every name containing it. */
    private static List<Integer> pick(String selection, List<String> names, String what) {
        List<Integer> out = new ArrayList<>();
        if (selection == null || selection.isBlank()) {
            for (int i = 0; i < names.size(); i++) out.add(i);
            return out;
        }
        String s = selection.trim();
        if (s.matches("\\d+")) {
            int i = Integer.parseInt(s);
            if (i < names.size()) return List.of(i);
        } else {
            String want = s.toLowerCase(Locale.ROOT);
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).toLowerCase(Locale.ROOT).contains(want)) out.add(i);
            }
            if (!out.isEmpty()) return out;
        }
        StringBuilder known = new StringBuilder();
        for (int i = 0; i < names.size(); i++) known.append(i == 0 ? "" : ", ").append(i).append(": ").append(names.get(i));
        throw new Unavailable("no OpenCL " + what + " matches gdchaos.opencl." + what + "='" + s + "' (known: " + known + ")");
    }

    static List<cl_platform_id> platforms() {
        int[] count = new int[1];
        try {
            clGetPlatformIDs(0, null, count);
        } catch (CLException e) {
            if (e.getStatus() == CL_PLATFORM_NOT_FOUND_KHR) {
                throw new Unavailable("no OpenCL platform is installed (the ICD loader found no driver)");
            }
            throw e;
        }
        if (count[0] == 0) throw new Unavailable("no OpenCL platform is installed (the ICD loader found no driver)");
        cl_platform_id[] ids = new cl_platform_id[count[0]];
        clGetPlatformIDs(ids.length, ids, null);
        return List.of(ids);
    }

    private static List<Device> devices(cl_platform_id platform, String platformName) {
        int[] count = new int[1];
        try {
            clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, count);
        } catch (CLException e) {
            if (e.getStatus() == CL_DEVICE_NOT_FOUND) return List.of();
            throw e;
        }
        cl_device_id[] ids = new cl_device_id[count[0]];
        if (ids.length == 0) return List.of();
        clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
        String platformVersion = platformString(platform, CL_PLATFORM_VERSION);
        List<Device> out = new ArrayList<>();
        for (cl_device_id d : ids) {
            String ext = deviceString(d, CL_DEVICE_EXTENSIONS);
            boolean usable = deviceLong(d, CL_DEVICE_AVAILABLE, Sizeof.cl_int) != 0
                    && deviceLong(d, CL_DEVICE_COMPILER_AVAILABLE, Sizeof.cl_int) != 0;
            out.add(new Device(platform, d, platformName, platformVersion, deviceString(d, CL_DEVICE_NAME),
                    shortVersion(deviceString(d, CL_DEVICE_VERSION)) + ", driver " + deviceString(d, CL_DRIVER_VERSION),
                    deviceLong(d, CL_DEVICE_TYPE, Sizeof.cl_long),
                    ext.contains("cl_khr_fp64"), deviceLong(d, CL_DEVICE_GLOBAL_MEM_SIZE, Sizeof.cl_long),
                    deviceLong(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE, Sizeof.cl_long),
                    (int) deviceLong(d, CL_DEVICE_MAX_COMPUTE_UNITS, Sizeof.cl_uint), usable));
        }
        return out;
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(p, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        clGetPlatformInfo(p, param, bytes.length, Pointer.to(bytes), null);
        return cString(bytes);
    }

    static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, bytes.length, Pointer.to(bytes), null);
        return cString(bytes);
    }

    /** An integer device property of {@code bytes} (4 or 8) bytes, unsigned-extended. */
    static long deviceLong(cl_device_id d, int param, int bytes) {
        if (bytes == Sizeof.cl_long) {
            long[] v = new long[1];
            clGetDeviceInfo(d, param, Sizeof.cl_long, Pointer.to(v), null);
            return v[0];
        }
        int[] v = new int[1];
        clGetDeviceInfo(d, param, Sizeof.cl_int, Pointer.to(v), null);
        return v[0] & 0xffffffffL;
    }

    /** "OpenCL 3.0 PoCL HSTR: …" → "OpenCL 3.0". */
    private static String shortVersion(String v) {
        String[] t = v.trim().split("\\s+");
        return t.length >= 2 ? t[0] + " " + t[1] : v.trim();
    }

    private static String cString(byte[] bytes) {
        int n = bytes.length;
        while (n > 0 && bytes[n - 1] == 0) n--;
        return new String(bytes, 0, n, StandardCharsets.UTF_8).trim();
    }
}
