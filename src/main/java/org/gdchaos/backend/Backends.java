package org.gdchaos.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Backend discovery. Providers come from {@link ServiceLoader}; {@code auto} picks the
 * available provider with the highest rank that supports the run's dtype, and falls back to the
 * next one when opening it fails. The choice can be forced with the system property
 * {@code gdchaos.backend} or the environment variable {@code GDCHAOS_BACKEND} (the property
 * wins); an explicit argument to {@link #select(String)} wins over both. A backend chosen by
 * name is the only one probed, so a broken driver of another backend cannot affect it.
 *
 * <p>The static methods use the service-loaded providers; {@link Registry} does the same work
 * on any provider list ({@link #of(List)}: tests inject fake providers there).
 */
public final class Backends {

    /** System property that forces a backend. */
    public static final String PROPERTY = "gdchaos.backend";
    /** Environment variable that forces a backend. */
    public static final String ENV = "GDCHAOS_BACKEND";

    private Backends() {
    }

    /** One provider with its probe result. */
    public record Entry(BackendProvider provider, Availability availability) {
        public String name() {
            return provider.name();
        }

        /** Available, and (as far as the probe knows) able to run {@code dtype}. */
        public boolean usableFor(DType dtype) {
            return availability.available() && provider.supports(dtype);
        }
    }

    /**
     * What a run would use, decided from the probes before anything is opened: {@code backend} is
     * the name (null when the request cannot be met, {@code problem} then says why).
     *
     * @param requested the request after property and environment: a name or {@code auto}
     * @param backend   the backend a run would open first, or null
     * @param problem   why no backend would be opened, or null
     */
    public record Plan(String requested, String backend, String problem) {
    }

    /** The service-loaded providers. */
    public static Registry registry() {
        List<BackendProvider> providers = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) providers.add(p);
        return new Registry(providers);
    }

    /** A registry of the given providers instead of the service-loaded ones (tests, embedding). */
    public static Registry of(List<BackendProvider> providers) {
        return new Registry(providers);
    }

    /** All providers, highest rank first, each probed. */
    public static List<Entry> list() {
        return registry().list();
    }

    /** The requested name: argument if not null/auto, else property, else environment, else auto. */
    public static String requested(String explicit) {
        if (explicit != null && !explicit.isBlank() && !explicit.equalsIgnoreCase("auto")) return explicit;
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) return p;
        String e = System.getenv(ENV);
        if (e != null && !e.isBlank()) return e;
        return "auto";
    }

    /**
     * Where a forced choice without an explicit argument comes from, e.g.
     * {@code "-Dgdchaos.backend=opencl"} or {@code "GDCHAOS_BACKEND=opencl"}; null when none.
     */
    public static String override() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) return "-D" + PROPERTY + "=" + p;
        String e = System.getenv(ENV);
        if (e != null && !e.isBlank()) return ENV + "=" + e;
        return null;
    }

    /** {@link Registry#select(String)} on the service-loaded providers. */
    public static Entry select(String name) {
        return registry().select(name);
    }

    /** Creates the backend {@link #select(String)} chooses, with default options. */
    public static Backend create(String name) {
        return select(name).provider().create(BackendOptions.defaults());
    }

    /**
     * The {@link Plan} for a run that asks for {@code explicit} (null = no {@code --backend}) in
     * {@code dtype}, from already probed entries: what {@link Registry#open} would try first.
     */
    public static Plan plan(String explicit, DType dtype, List<Entry> entries) {
        String want = requested(explicit).toLowerCase(Locale.ROOT);
        if (want.equals("auto")) {
            List<Entry> c = autoCandidates(entries, dtype);
            return c.isEmpty() ? new Plan(want, null, noneFor(dtype, entries)) : new Plan(want, c.get(0).name(), null);
        }
        for (Entry e : entries) {
            if (!e.name().equals(want)) continue;
            if (!e.availability().available()) return new Plan(want, null, want + " is unavailable: " + e.availability().detail());
            if (!e.provider().supports(dtype)) return new Plan(want, null, want + " does not support " + dtype.label());
            return new Plan(want, want, null);
        }
        return new Plan(want, null, unknown(want, entries.stream().map(Entry::name).toList()));
    }

    /** Auto's candidates for {@code dtype}, in the order it tries them (highest rank first). */
    static List<Entry> autoCandidates(List<Entry> entries, DType dtype) {
        return entries.stream().filter(e -> e.usableFor(dtype)).toList();
    }

    private static String noneFor(DType dtype, List<Entry> entries) {
        return "no available backend supports " + dtype.label() + ": " + entries.stream()
                .map(e -> e.name() + " (" + (e.availability().available() ? "no " + dtype.label()
                        : e.availability().detail()) + ")")
                .collect(Collectors.joining("; "));
    }

    private static String unknown(String want, List<String> names) {
        return "unknown backend '" + want + "'; known: auto, " + String.join(", ", names);
    }

    /**
     * A backend named for a run opened but lacks the run's dtype. Like
     * {@link org.gdchaos.InputException}, the message names the settings that fix it by key
     * ({@link #DTYPE_SETTING}, {@link #BACKEND_SETTING}); {@link #message} lets a front end name them
     * its own way (the command line by its flags).
     */
    public static final class DTypeUnsupportedException extends IllegalStateException {
        /** The setting that chooses the dtype (its key in run.json's spec). */
        public static final String DTYPE_SETTING = org.gdchaos.Setting.DTYPE.key();
        /** The setting that chooses the backend ({@link Backends#PROPERTY}, {@link Backends#ENV}). */
        public static final String BACKEND_SETTING = "backend";
        private static final long serialVersionUID = 1L;

        private final String backend;
        private final String device;
        private final DType dtype;

        /** Backend {@code backend} (on {@code device}) cannot run in {@code dtype}. */
        public DTypeUnsupportedException(String backend, String device, DType dtype) {
            super(wording(backend, device, dtype, UnaryOperator.identity()));
            this.backend = backend;
            this.device = device;
            this.dtype = dtype;
        }

        /** The message with each setting called {@code name.apply(key)}. */
        public String message(UnaryOperator<String> name) {
            return wording(backend, device, dtype, name);
        }

        private static String wording(String backend, String device, DType dtype, UnaryOperator<String> name) {
            return "backend " + backend + " (" + device + ") does not support " + dtype.label() + "; use "
                    + name.apply(DTYPE_SETTING) + " f32 or another " + name.apply(BACKEND_SETTING);
        }
    }

    /** Discovery over a fixed list of providers. */
    public static final class Registry {
        private final List<BackendProvider> providers;

        /** Providers in any order. */
        Registry(List<BackendProvider> providers) {
            this.providers = List.copyOf(providers);
        }

        /** All providers, highest rank first, each probed. */
        public List<Entry> list() {
            List<Entry> out = new ArrayList<>();
            for (BackendProvider p : providers) out.add(new Entry(p, safeProbe(p)));
            out.sort(Comparator.comparingInt((Entry e) -> safeRank(e.provider())).reversed());
            return out;
        }

        /**
         * The provider to use for {@code name} (null or "auto" consults property and
         * environment). A name probes only that provider; auto probes all.
         *
         * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
         * @throws IllegalStateException    when the named backend is unavailable (with its reason)
         */
        public Entry select(String name) {
            String want = requested(name).toLowerCase(Locale.ROOT);
            if (want.equals("auto")) {
                List<Entry> all = list();
                return all.stream().filter(e -> e.availability().available()).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no backend is available: " + all.stream()
                                .map(e -> e.name() + " (" + e.availability().detail() + ")")
                                .collect(Collectors.joining("; "))));
            }
            for (BackendProvider p : providers) {
                if (!p.name().equals(want)) continue;
                Entry e = new Entry(p, safeProbe(p));
                if (!e.availability().available()) {
                    throw new IllegalStateException("backend '" + want + "' is unavailable: " + e.availability().detail());
                }
                return e;
            }
            throw new IllegalArgumentException(unknown(want, providers.stream().map(BackendProvider::name).toList()));
        }

        /**
         * Opens the backend for a run in {@code dtype}. A name (argument, property or environment)
         * must be available, open and support the dtype, else this throws. {@code auto} tries the
         * available providers that support the dtype, highest rank first; when one fails to open
         * (a driver call, out of memory, a kernel build), {@code warn} receives one line with the
         * reason and the next one is tried.
         *
         * @throws IllegalArgumentException for an unknown name
         * @throws IllegalStateException    when the named backend is unavailable, fails to open or
         *                                  lacks the dtype ({@link DTypeUnsupportedException}), or when
         *                                  no backend can be opened
         */
        public Backend open(String name, DType dtype, Consumer<String> warn) {
            String want = requested(name).toLowerCase(Locale.ROOT);
            if (!want.equals("auto")) {
                Entry e = select(want);
                Backend b;
                try {
                    b = e.provider().create(BackendOptions.defaults());
                } catch (RuntimeException | LinkageError ex) {
                    throw new IllegalStateException("backend " + want + " failed to open: " + reason(ex), ex);
                }
                if (!b.supports(dtype)) {
                    String dev = b.device();
                    b.close();
                    throw new DTypeUnsupportedException(want, dev, dtype);
                }
                return b;
            }
            List<Entry> all = list();
            List<String> failures = new ArrayList<>();
            for (Entry e : autoCandidates(all, dtype)) {
                Backend b;
                try {
                    b = e.provider().create(BackendOptions.defaults());
                } catch (RuntimeException | LinkageError ex) {
                    String why = reason(ex);
                    failures.add(e.name() + " failed to open (" + why + ")");
                    warn.accept("backend " + e.name() + " failed to open (" + why + "); trying the next backend");
                    continue;
                }
                if (b.supports(dtype)) return b;
                failures.add(e.name() + " (" + b.device() + ") does not support " + dtype.label());
                b.close();
            }
            if (failures.isEmpty()) throw new IllegalStateException(noneFor(dtype, all));
            throw new IllegalStateException("no backend could be opened for " + dtype.label() + ": "
                    + String.join("; ", failures));
        }

        private static String reason(Throwable t) {
            String m = t.getMessage();
            String first = m == null ? "" : m.lines().findFirst().orElse("").trim();
            return first.isEmpty() ? t.getClass().getSimpleName() : first;
        }

        private static Availability safeProbe(BackendProvider p) {
            try {
                return p.probe();
            } catch (Throwable t) { // a provider must not take discovery down
                return Availability.no(t.getClass().getSimpleName() + ": " + t.getMessage());
            }
        }

        private static int safeRank(BackendProvider p) {
            try {
                return p.rank();
            } catch (RuntimeException e) {
                return Integer.MIN_VALUE;
            }
        }
    }
}
