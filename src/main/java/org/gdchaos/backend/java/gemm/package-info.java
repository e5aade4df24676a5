/**
 * The Java backend's batched GEMM: {@link org.gdchaos.backend.java.gemm.JavaGemm} chooses, from one
 * entry's shape, a blocked driver with scalar or Vector API micro-kernels ({@code GemmDriverF64},
 * {@code GemmKernelF64}, {@code GemmKernelF64Vector}, {@code GemmPlan}, {@code GemmTunables}) or a
 * path for the shapes of convolutions and shared sparse rows ({@code NarrowGemmF64},
 * {@code FoldedGemmF64}, {@code SparseSharedGemmF64}). The f32 classes are generated from the f64
 * templates at build time (pom.xml, {@code PrecisionTwins}). Uses {@code backend.java.cpu}; the
 * backend ({@code backend.java}) uses this package, never the other way round.
 */
package org.gdchaos.backend.java.gemm;
