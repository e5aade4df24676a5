package org.gdchaos.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Backend discovery. Providers come from {@link ServiceLoader}; {@code auto} picks the
 * available provider with the highest rank. The choice can be forced with the system
 * property {@code gdchaos.backend} or the environment variable {@code GDCHAOS_BACKEND}
 * (the property wins); an explicit argument to {@link #select(String)} wins over both.
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
    }

    /** All providers, highest rank first, each probed. */
    public static List<Entry> list() {
        List<BackendProvider> providers = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) providers.add(p);
        providers.sort(Comparator.comparingInt(BackendProvider::rank).reversed());
        List<Entry> out = new ArrayList<>();
        for (BackendProvider p : providers) out.add(new Entry(p, safeProbe(p)));
        return out;
    }

    private static Availability safeProbe(BackendProvider p) {
        try {
            return p.probe();
        } catch (Throwable t) { // a provider must not take discovery down
            return Availability.no(t.getClass().getSimpleName() + ": " + t.getMessage());
        }
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
     * The provider to use for {@code name} (null or "auto" consults property and environment).
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     * @throws IllegalStateException    when the named backend is unavailable (with its reason)
     */
    public static Entry select(String name) {
        String want = requested(name).toLowerCase(Locale.ROOT);
        List<Entry> all = list();
        if (want.equals("auto")) {
            return all.stream().filter(e -> e.availability().available()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no backend is available: " + describe(all)));
        }
        for (Entry e : all) {
            if (e.name().equals(want)) {
                if (!e.availability().available()) {
                    throw new IllegalStateException("backend '" + want + "' is unavailable: "
                            + e.availability().detail());
                }
                return e;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + want + "'; known: auto, "
                + all.stream().map(Entry::name).collect(Collectors.joining(", ")));
    }

    /** Creates the backend {@link #select(String)} chooses, with default options. */
    public static Backend create(String name) {
        return select(name).provider().create(BackendOptions.defaults());
    }

    private static String describe(List<Entry> all) {
        return all.stream().map(e -> e.name() + " (" + e.availability().detail() + ")")
                .collect(Collectors.joining("; "));
    }
}
