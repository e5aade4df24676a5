/*
 * gdchaos kernel prelude: maps one kernel body onto two dialects, OpenCL C 1.2 and CUDA C.
 *
 * The loader (org.gdchaos.backend.kernels.KernelSource) prepends, before this file:
 *   #define GDC_OPENCL 1   or   #define GDC_CUDA 1     the dialect
 *   #define REAL float     or   #define REAL double    the element type of every buffer
 *   #define GDC_FP64 1     (optional) double is available: reductions accumulate in double
 * and appends ops.cl. No header is included, so the source also builds under NVRTC.
 *
 * Dialect map:
 *   KERNEL        kernel entry point       __kernel            | extern "C" __global__
 *   GLOBAL        global-memory pointer    __global            | (nothing)
 *   SHARED, LOCAL work-group memory        __local             | __shared__
 *   LPTR          pointer to it (param)    __local             | (nothing)
 *   BARRIER()     work-group barrier       barrier(LOCAL_MEM)  | __syncthreads()
 *   GID(d)        global index (OFF_T)     get_global_id(d)    | blockIdx*blockDim+threadIdx
 *   LID(d)        local index (int)        get_local_id(d)     | threadIdx
 *   GRP(d)        group index (OFF_T)      get_group_id(d)     | blockIdx
 *   NGRP(d)       number of groups (OFF_T) get_num_groups(d)   | gridDim
 *   LSIZE(d)      work-group size (int)    get_local_size(d)   | blockDim
 *   DEVICE_FN     helper function          static inline       | static __device__ __forceinline__
 *   OFF_T         64-bit element offset    long                | long long
 *   ACC           accumulator type         double if GDC_FP64, else float
 */
#if !defined(GDC_OPENCL) && !defined(GDC_CUDA)
#  if defined(__CUDACC__)
#    define GDC_CUDA 1
#  else
#    define GDC_OPENCL 1
#  endif
#endif

#ifndef REAL
#  define REAL float
#endif

#if defined(GDC_CUDA)

#define KERNEL extern "C" __global__
#define GLOBAL
#define SHARED __shared__
#define LOCAL __shared__
#define LPTR
#define BARRIER() __syncthreads()
#define DEVICE_FN static __device__ __forceinline__
typedef long long OFF_T;

DEVICE_FN unsigned gdc_dim3(dim3 v, int d) { return d == 0 ? v.x : (d == 1 ? v.y : v.z); }
DEVICE_FN unsigned gdc_uint3(uint3 v, int d) { return d == 0 ? v.x : (d == 1 ? v.y : v.z); }

#define LID(d) ((int) gdc_uint3(threadIdx, (d)))
#define LSIZE(d) ((int) gdc_dim3(blockDim, (d)))
#define GRP(d) ((OFF_T) gdc_uint3(blockIdx, (d)))
#define NGRP(d) ((OFF_T) gdc_dim3(gridDim, (d)))
#define GID(d) (GRP(d) * (OFF_T) LSIZE(d) + (OFF_T) LID(d))

#ifndef GDC_FP64
#  define GDC_FP64 1
#endif

#else /* OpenCL C 1.2 */

#if defined(GDC_FP64)
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#define KERNEL __kernel
#define GLOBAL __global
#define SHARED __local
#define LOCAL __local
#define LPTR __local
#define BARRIER() barrier(CLK_LOCAL_MEM_FENCE)
#define DEVICE_FN static inline
typedef long OFF_T;

#define LID(d) ((int) get_local_id(d))
#define LSIZE(d) ((int) get_local_size(d))
#define GRP(d) ((OFF_T) get_group_id(d))
#define NGRP(d) ((OFF_T) get_num_groups(d))
#define GID(d) ((OFF_T) get_global_id(d))

#endif

#if defined(GDC_FP64)
typedef double ACC;
#else
typedef float ACC;
#endif

/* 16-byte alignment of a local array (lets compilers merge consecutive loads into vector loads). */
#define GDC_ALIGN16 __attribute__((aligned(16)))

/* A literal in the element type (avoids double arithmetic in float kernels). */
#define R(x) ((REAL) (x))

/* ------------------------------------------------------------------ tunables
 * Launch geometry depends on these; kernels/README.md lists it. Host code must use the same
 * values (GEMM_TM, GEMM_TN, GEMM_WG_X, GEMM_WG_Y, GDC_WG). GEMM_TK (8, 16 or 32) may be changed
 * without changing the geometry.
 */
#ifndef GEMM_TM
#  define GEMM_TM 64      /* rows of C per work-group */
#endif
#ifndef GEMM_TN
#  define GEMM_TN 64      /* columns of C per work-group */
#endif
#ifndef GEMM_TK
#  define GEMM_TK 16      /* depth of one local-memory tile: 8, 16 or 32 */
#endif
#define GEMM_WG_X 16      /* work-group columns (local size, dimension 0) */
#define GEMM_WG_Y 16      /* work-group rows (local size, dimension 1) */
#define GEMM_THREADS (GEMM_WG_X * GEMM_WG_Y)
#define GEMM_WM (GEMM_TM / GEMM_WG_Y)   /* rows of C per work-item */
#define GEMM_WN (GEMM_TN / GEMM_WG_X)   /* columns of C per work-item */
#define GEMM_LOADS_A (GEMM_TM * GEMM_TK / GEMM_THREADS)  /* op(A) elements each work-item fetches per k-tile */
#define GEMM_LOADS_B (GEMM_TN * GEMM_TK / GEMM_THREADS)  /* op(B) elements each work-item fetches per k-tile */
/* Local-tile row padding: 16 bytes, so rows stay 16-byte aligned (vector loads) and successive
   rows start 4 banks apart (conflict-free tile stores, see gdc_gemm_fetch in ops.cl). */
#define GEMM_PAD ((int) (16 / sizeof(REAL)))
/* Elements per 16 bytes: the run of consecutive rows/columns of C a work-item owns. */
#define GEMM_VEC ((int) (16 / sizeof(REAL)))
/* Row (column) of the tile for the e-th of a work-item's GEMM_WM (GEMM_WN) rows (columns):
   runs of GEMM_VEC consecutive ones, GEMM_VEC·w apart (w = work-items along that axis). */
#define GEMM_OWN(t, e, w) ((((e) / GEMM_VEC) * (w) + (t)) * GEMM_VEC + (e) % GEMM_VEC)
#if GEMM_TK % 8 != 0 || GEMM_THREADS % (4 * GEMM_TK) != 0 || (GEMM_TM * GEMM_TK) % GEMM_THREADS != 0 \
    || (GEMM_TN * GEMM_TK) % GEMM_THREADS != 0 || GEMM_THREADS % GEMM_TM != 0 || GEMM_THREADS % GEMM_TN != 0
#  error "GEMM_TK must be a multiple of 8 with 4*GEMM_TK dividing the work-group size, and tiles must split evenly over it"
#endif
#if GEMM_WG_X % 8 != 0 || GEMM_THREADS % 32 != 0 || GEMM_TM % GEMM_WG_Y != 0 || GEMM_TN % GEMM_WG_X != 0
#  error "GEMM work-group must be whole warps of 8 columns x 4 rows and divide the tile"
#endif
/* Entry-point qualifier of the GEMM kernels: the work-group size is fixed, and on CUDA at most
   128 registers per thread so that two 256-thread blocks fit on one SM (in f64 as well). */
#if defined(GDC_CUDA)
#  define GEMM_KERNEL KERNEL __launch_bounds__(GEMM_THREADS, 2)
#else
#  define GEMM_KERNEL KERNEL __attribute__((reqd_work_group_size(GEMM_WG_X, GEMM_WG_Y, 1)))
#endif

#define GDC_WG 256        /* work-group size of every 1-D kernel */
#define COLSUM_WG_X 16    /* column_sums: columns per work-group (dimension 0) */
#define COLSUM_WG_Y 16    /* column_sums: row lanes per work-group (dimension 1) */
