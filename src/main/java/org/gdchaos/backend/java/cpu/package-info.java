/**
 * What every kernel of the Java backend shares and nothing more: how work is split across the
 * cores ({@link org.gdchaos.backend.java.cpu.Parallel}), the block and task sizes
 * ({@link org.gdchaos.backend.java.cpu.JavaTunables}) and whether the Vector API is there
 * ({@link org.gdchaos.backend.java.cpu.VectorSupport}). Depends on no other package of the backend.
 */
package org.gdchaos.backend.java.cpu;
