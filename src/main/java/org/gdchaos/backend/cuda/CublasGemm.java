package org.gdchaos.backend.cuda;

import jcuda.Pointer;
import jcuda.driver.CUstream;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasPointerMode;
import jcuda.jcublas.cublasStatus;
import jcuda.runtime.cudaStream_t;
import org.gdchaos.backend.DType;

/**
 * The cuBLAS path of GEMM: one cuBLAS handle bound to the driver's stream,
 * {@code cublas{S,D}gemmStridedBatched} with host scalars. The only class that touches
 * {@code JCublas2}, whose static initialiser loads {@code libJCublas2} and so
 * {@code libcublas.so.12}: it is loaded only when the cuBLAS path is selected.
 */
final class CublasGemm implements AutoCloseable {
    private final cublasHandle handle = new cublasHandle();
    private boolean created;

    /** Loads JCublas2 and its native library; throws (UnsatisfiedLinkError, …) when that fails. */
    static void load() {
        JCublas2.setExceptionsEnabled(false);
    }

    /** Creates the handle on the current context and binds it to {@code stream}. */
    CublasGemm(CUstream stream) {
        load();
        check(JCublas2.cublasCreate(handle), "cublasCreate");
        created = true;
        try {
            check(JCublas2.cublasSetStream(handle, new cudaStream_t(stream)), "cublasSetStream");
            check(JCublas2.cublasSetPointerMode(handle, cublasPointerMode.CUBLAS_POINTER_MODE_HOST),
                    "cublasSetPointerMode");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static void check(int status, String call) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new IllegalStateException(call + " failed: " + cublasStatus.stringFor(status));
        }
    }

    /** Enqueues the strided-batched GEMM; a, b, c point at the first entries (element offsets applied). */
    void gemm(DType dtype, CublasGemmArgs g, double alpha, Pointer a, Pointer b, double beta, Pointer c) {
        int opA = g.transA() ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int opB = g.transB() ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int status;
        if (dtype == DType.F32) {
            status = JCublas2.cublasSgemmStridedBatched(handle, opA, opB, g.m(), g.n(), g.k(),
                    Pointer.to(new float[] {(float) alpha}), a, g.lda(), g.strideA(), b, g.ldb(), g.strideB(),
                    Pointer.to(new float[] {(float) beta}), c, g.ldc(), g.strideC(), g.batchCount());
        } else {
            status = JCublas2.cublasDgemmStridedBatched(handle, opA, opB, g.m(), g.n(), g.k(),
                    Pointer.to(new double[] {alpha}), a, g.lda(), g.strideA(), b, g.ldb(), g.strideB(),
                    Pointer.to(new double[] {beta}), c, g.ldc(), g.strideC(), g.batchCount());
        }
        check(status, dtype == DType.F32 ? "cublasSgemmStridedBatched" : "cublasDgemmStridedBatched");
    }

    /** Destroys the handle; idempotent. */
    @Override
    public void close() {
        if (!created) return;
        created = false;
        check(JCublas2.cublasDestroy(handle), "cublasDestroy");
    }
}
