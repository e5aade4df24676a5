package org.gdchaos.backend.conformance;

import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.View;

/**
 * A device buffer together with the host copy of exactly what was uploaded to it (values already
 * rounded to the buffer's dtype) and the batched view the operation under test uses.
 *
 * @param buffer the device buffer
 * @param host   host copy of the whole buffer, guards included
 * @param view   the view passed to the backend
 * @param span   elements per batch entry
 */
public record Operand(Buffer buffer, double[] host, View view, long span) {

    /** Host index of element q of batch entry b. */
    public int index(int b, long q) {
        return Math.toIntExact(view.at(b) + q);
    }

    /** Host value of element q of batch entry b (as uploaded). */
    public double get(int b, long q) {
        return host[index(b, q)];
    }

    /** Sets the host value of element q of entry b; call {@link Fixture#sync} to upload. */
    public void set(int b, long q, double value) {
        host[index(b, q)] = value;
    }

    /** Same buffer and host copy seen through another view (e.g. a second alias). */
    public Operand withView(View other) {
        return new Operand(buffer, host, other, span);
    }
}
