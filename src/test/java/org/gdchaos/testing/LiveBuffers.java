package org.gdchaos.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.View;

/**
 * A {@link Backend} decorator that counts live buffers: every {@code allocate} returns a wrapper
 * whose {@code close()} (the first one) marks it released; every call that takes a buffer or a
 * view is forwarded with the real buffer in its place, so any backend (Java, OpenCL, CUDA) can be
 * wrapped. {@link #live()} is the number allocated through the wrapper and not yet closed, and
 * {@link #describeLive()} says what they are (dtype, length and where each was allocated), for
 * a failure message; {@link #failAllocation} plants an allocation failure. Closing the wrapper
 * closes the real backend.
 */
public final class LiveBuffers {
    private final Backend real;
    private final Backend backend;
    private final Map<Buffer, String> live = Collections.synchronizedMap(new IdentityHashMap<>());
    private long allocated;
    private long failAt = -1;

    public LiveBuffers(Backend real) {
        this.real = real;
        this.backend = (Backend) Proxy.newProxyInstance(LiveBuffers.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("allocate")) {
                        synchronized (this) {
                            if (allocated == failAt) {
                                failAt = -1;
                                throw new PlantedFailure("planted failure of allocation #" + allocated);
                            }
                        }
                        return track((Buffer) invoke(real, m, args));
                    }
                    if (args != null) for (int i = 0; i < args.length; i++) args[i] = unwrap(args[i]);
                    return invoke(real, m, args);
                });
    }

    /** The counting backend to hand to the code under test. */
    public Backend backend() {
        return backend;
    }

    /** The wrapped backend. */
    public Backend real() {
        return real;
    }

    /** Buffers allocated through {@link #backend()} and not closed yet. */
    public int live() {
        return live.size();
    }

    /** Buffers allocated through {@link #backend()} so far. */
    public synchronized long allocated() {
        return allocated;
    }

    /**
     * Makes allocation number {@code index} (counting every {@code allocate} through the wrapper
     * from 0, see {@link #allocated()}) throw {@link PlantedFailure} instead of allocating, once:
     * how a device running out of memory half-way through a constructor looks.
     */
    public synchronized void failAllocation(long index) {
        failAt = index;
    }

    /** The exception of {@link #failAllocation}. */
    public static final class PlantedFailure extends RuntimeException {
        PlantedFailure(String message) {
            super(message);
        }
    }

    /** One line per live buffer: dtype × length and the first project frame of its allocation. */
    public String describeLive() {
        List<String> out;
        synchronized (live) {
            out = new ArrayList<>(live.values());
        }
        return out.size() + " live buffer(s): " + String.join("; ", out);
    }

    private Buffer track(Buffer b) {
        synchronized (this) {
            allocated++;
        }
        String where = "?";
        for (StackTraceElement f : new Throwable().getStackTrace()) {
            String cls = f.getClassName();
            if (cls.startsWith("org.gdchaos.") && !cls.startsWith("org.gdchaos.testing.")
                    && !cls.startsWith("jdk.proxy")) {
                where = f.toString();
                break;
            }
        }
        Buffer[] self = new Buffer[1];
        Buffer wrapper = (Buffer) Proxy.newProxyInstance(LiveBuffers.class.getClassLoader(),
                new Class<?>[] {Buffer.class, Wrapped.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "unwrap":
                            return b;
                        case "close":
                            live.remove(self[0]);
                            b.close();
                            return null;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        case "toString":
                            return "Tracked" + b;
                        default:
                            return invoke(b, m, args);
                    }
                });
        self[0] = wrapper;
        live.put(wrapper, b.dtype() + " × " + b.length() + " from " + where);
        return wrapper;
    }

    /** Implemented by the buffer wrappers. */
    public interface Wrapped {
        Buffer unwrap();
    }

    private static Object unwrap(Object arg) {
        if (arg instanceof Wrapped w) return w.unwrap();
        if (arg instanceof View v && v.buffer() instanceof Wrapped w) return new View(w.unwrap(), v.offset(), v.stride());
        return arg;
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
