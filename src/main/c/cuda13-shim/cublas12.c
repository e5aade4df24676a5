/* libcublas.so.12 (soname and ELF version node, see cublas12.map) forwarding the cuBLAS calls
 * gdchaos makes to CUDA 13's libcublas.so.13 (or $GDCHAOS_CUBLAS13), so that JCuda 12.6's
 * libJCublas2 loads on a machine with only CUDA 13. The signatures and enum values of these six
 * functions are the same in cuBLAS 12 and 13. Any other cuBLAS function stays unresolved:
 * calling it would abort the process, and gdchaos never does. Unverified on a GPU. */
#define SHIM_ENV "GDCHAOS_CUBLAS13"
#define SHIM_TARGET "libcublas.so.13"
#include "shim.h"

#define NOT_INITIALIZED 1 /* CUBLAS_STATUS_NOT_INITIALIZED */
typedef void *handle_t;

FORWARD(int, cublasCreate_v2, NOT_INITIALIZED, (handle_t *h), (h))
FORWARD(int, cublasDestroy_v2, NOT_INITIALIZED, (handle_t h), (h))
FORWARD(int, cublasSetStream_v2, NOT_INITIALIZED, (handle_t h, void *stream), (h, stream))
FORWARD(int, cublasSetPointerMode_v2, NOT_INITIALIZED, (handle_t h, int mode), (h, mode))
FORWARD(int, cublasSgemmStridedBatched, NOT_INITIALIZED,
        (handle_t h, int ta, int tb, int m, int n, int k, const float *alpha, const float *a, int lda,
         long long sa, const float *b, int ldb, long long sb, const float *beta, float *c, int ldc,
         long long sc, int count),
        (h, ta, tb, m, n, k, alpha, a, lda, sa, b, ldb, sb, beta, c, ldc, sc, count))
FORWARD(int, cublasDgemmStridedBatched, NOT_INITIALIZED,
        (handle_t h, int ta, int tb, int m, int n, int k, const double *alpha, const double *a, int lda,
         long long sa, const double *b, int ldb, long long sb, const double *beta, double *c, int ldc,
         long long sc, int count),
        (h, ta, tb, m, n, k, alpha, a, lda, sa, b, ldb, sb, beta, c, ldc, sc, count))
