package org.gdchaos.backend;

import java.util.Objects;

/**
 * Outcome of probing a backend.
 *
 * @param available whether the backend can be created
 * @param detail    device description when available, else the reason and how to fix it
 */
public record Availability(boolean available, String detail) {
    public Availability {
        Objects.requireNonNull(detail, "detail");
    }

    public static Availability yes(String device) {
        return new Availability(true, device);
    }

    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
