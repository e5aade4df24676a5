package org.gdchaos.backend;

/**
 * An opaque device buffer of {@link #length()} elements of {@link #dtype()}, owned by the
 * backend that allocated it. Contents are reached only through the backend's explicit
 * upload/download calls. Closing releases device memory; using a closed buffer is an error.
 */
public interface Buffer extends AutoCloseable {
    DType dtype();

    /** Number of elements. */
    long length();

    /** Size in bytes, {@code length() * dtype().bytes()}. */
    default long bytes() {
        return length() * dtype().bytes();
    }

    @Override
    void close();
}
