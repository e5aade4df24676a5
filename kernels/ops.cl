/*
 * gdchaos device kernels: one body for OpenCL C 1.2 and CUDA C, float and double
 * (see prelude.h for the dialect macros, README.md for every signature and launch geometry).
 *
 * Conventions:
 *  - Every batched operand X is passed as (X, offX, strideX): entry b starts at
 *    X + offX + b·strideX (element units, 64-bit); stride 0 = shared by all entries.
 *  - Per-trajectory scalars (lr, alpha, beta, s) are such operands too; entry b's scalar is
 *    the element at offX + b·strideX.
 *  - Every kernel takes `batch` and loops over entries with a grid stride, so a grid smaller
 *    than the batch (CUDA caps gridDim.y/z at 65535) is still correct.
 *  - Element-wise kernels loop over elements with a grid stride as well.
 *  - Codes: activation TANH 0, SIGMOID 1, RELU 2, IDENTITY 3; loss CROSS_ENTROPY 0, MSE 1;
 *    reduction SUM_ABS 0, SUM_SQ 1, SUM_ABS_DIFF 2, SUM_SQ_DIFF 3, DOT 4 (the Java enums).
 */

/* ------------------------------------------------------------------ helpers */

/* f(z) for activation code act. */
DEVICE_FN REAL gdc_activate(int act, REAL z) {
    switch (act) {
        case GDC_ACT_TANH: return tanh(z);
        case GDC_ACT_SIGMOID: return R(1) / (R(1) + exp(-z));
        case GDC_ACT_RELU: return z > R(0) ? z : R(0);
        default: return z;
    }
}

/* f'(z) expressed through the output h = f(z). */
DEVICE_FN REAL gdc_derivative(int act, REAL h) {
    switch (act) {
        case GDC_ACT_TANH: return R(1) - h * h;
        case GDC_ACT_SIGMOID: return h * (R(1) - h);
        case GDC_ACT_RELU: return h > R(0) ? R(1) : R(0);
        default: return R(1);
    }
}

/* f''(z) expressed through the output h = f(z). */
DEVICE_FN REAL gdc_second_derivative(int act, REAL h) {
    switch (act) {
        case GDC_ACT_TANH: return R(-2) * h * (R(1) - h * h);
        case GDC_ACT_SIGMOID: return h * (R(1) - h) * (R(1) - R(2) * h);
        default: return R(0);
    }
}

/* Reduction term g(x, y) for reduction code op. */
DEVICE_FN ACC gdc_term(int op, REAL x, REAL y) {
    switch (op) {
        case GDC_RED_SUM_ABS: return (ACC) fabs(x);
        case GDC_RED_SUM_SQ: return (ACC) x * (ACC) x;
        case GDC_RED_SUM_ABS_DIFF: return (ACC) fabs(x - y);
        case GDC_RED_SUM_SQ_DIFF: { ACC d = (ACC) x - (ACC) y; return d * d; }
        default: return (ACC) x * (ACC) y;
    }
}

/*
 * Work-group tree sum of one value per work-item; the work-group size must be GDC_WG (a power
 * of two). Every work-item gets the total. buf holds GDC_WG elements of work-group memory.
 */
DEVICE_FN ACC gdc_group_sum(LPTR ACC* buf, int lid, ACC v) {
    buf[lid] = v;
    BARRIER();
    for (int s = GDC_WG / 2; s > 0; s >>= 1) {
        if (lid < s) buf[lid] += buf[lid + s];
        BARRIER();
    }
    ACC total = buf[0];
    BARRIER(); /* buf may be reused right after */
    return total;
}

/* ------------------------------------------------------------------ GEMM */

/*
 * Shared helpers of the GEMM kernels. A k-tile of op(A) (GEMM_TM rows i × GEMM_TK depths p) or
 * of op(B) (GEMM_TK depths p × GEMM_TN columns, here also called i) lives in local memory
 * depth-major, S[p][i], each row padded by GEMM_PAD elements (16 bytes; see prelude.h).
 *
 * "pmajor" says how the operand is stored: 1 = element (i, p) at x[p·rows + i] (A with transA,
 * B without transB), 0 = at x[i·k + p] (A without transA, B with transB). Work-item tid loads
 * the elements l = tid + e·GEMM_THREADS (e < count) of the tile, numbered so that a warp reads
 * whole 32-byte sectors in both storage orders:
 *   pmajor: i = l % T, p = l / T               a warp reads 32 consecutive elements of a row p;
 *   else:   p = l % 8 + 8·((l / 32) % (TK/8)),  i = (l % 32) / 8 + 4·(l / (4·TK))
 *                                              a warp reads 8 consecutive elements (one sector
 *                                              in f32, two in f64) of 4 consecutive rows i.
 * In both, element e of a work-item is (i₀ + e·di, p₀ + e·dp) with di, dp per operand, so the
 * global offset advances by a constant per element and per k-tile. Both patterns store to S
 * without bank conflicts (rows GEMM_PAD = 16 bytes longer than T elements start 4 banks apart).
 * Out-of-range elements (i ≥ rows, p ≥ k) load as 0, so partial tiles add exact zeros.
 */

/* This work-item's first element (i0, p0) of a tile and the per-element steps (di, dp). */
DEVICE_FN void gdc_gemm_plan(int pmajor, int tid, int T, int* i0, int* p0, int* di, int* dp) {
    if (pmajor) {
        *i0 = tid % T;
        *p0 = tid / T;
        *di = 0;
        *dp = GEMM_THREADS / T;
    } else {
        *i0 = (tid % 32) / 8 + 4 * (tid / (4 * GEMM_TK));
        *p0 = tid % 8 + 8 * ((tid / 32) % (GEMM_TK / 8));
        *di = GEMM_THREADS / GEMM_TK;
        *dp = 0;
    }
}

/*
 * Fetches this work-item's `count` elements of the k-tile at depth kt into r. x points at the
 * work-item's first element of the tile at depth 0 (x + i0·k + p0 or x + p0·rows + i0), `step` is
 * the offset between its elements (dp·rows or di·k), `kstep` the offset per unit of depth
 * (rows or 1); rowsLeft/kLeft are rows − tileRow0 − i0 and k − p0 (negative = none valid).
 */
DEVICE_FN void gdc_gemm_fetch(GLOBAL const REAL* x, OFF_T step, OFF_T kstep, int kt, int rowsLeft,
                              int kLeft, int di, int dp, int count, REAL* r) {
    GLOBAL const REAL* xt = x + (OFF_T) kt * kstep;
#pragma unroll
    for (int e = 0; e < count; ++e) {
        REAL v = R(0);
        if (e * di < rowsLeft && kt + e * dp < kLeft) v = xt[e * step];
        r[e] = v;
    }
}

/* Stores what gdc_gemm_fetch loaded into the local tile S (row length T + GEMM_PAD). */
DEVICE_FN void gdc_gemm_stash(LPTR REAL* s, int T, int i0, int p0, int di, int dp, int count,
                              const REAL* r) {
    LPTR REAL* st = s + p0 * (T + GEMM_PAD) + i0;
    const int step = dp * (T + GEMM_PAD) + di;
#pragma unroll
    for (int e = 0; e < count; ++e) st[e * step] = r[e];
}

/*
 * gemm_tiled: C[b] = alpha·op(A[b])·op(B[b]) + beta·C[b], row-major, for b < batch.
 *   int batch, int m, int n, int k      op(A) is m×k, op(B) is k×n, C is m×n (ldc = n)
 *   int transA                          0: A stored m×k (lda = k); 1: stored k×m (lda = m)
 *   int transB                          0: B stored k×n (ldb = n); 1: stored n×k (ldb = k)
 *   REAL alpha, REAL beta               beta == 0: C's old contents are not read (NaN-safe)
 *   GLOBAL const REAL* A, OFF_T offA, OFF_T strideA     (stride 0 = shared)
 *   GLOBAL const REAL* B, OFF_T offB, OFF_T strideB     (stride 0 = shared)
 *   GLOBAL REAL* C, OFF_T offC, OFF_T strideC
 * Geometry: local (GEMM_WG_X, GEMM_WG_Y, 1) = (16, 16, 1) (required: reqd_work_group_size /
 *   __launch_bounds__(256, 2), see GEMM_KERNEL in prelude.h);
 *   groups (ceil(n/GEMM_TN), ceil(m/GEMM_TM), min(batch, 65535)) with GEMM_TM = GEMM_TN = 64.
 *
 * Each work-group computes a GEMM_TM×GEMM_TN tile of C, walking k in GEMM_TK-deep tiles that
 * are double-buffered: the next tile is fetched from global memory into registers while the
 * current one is multiplied out of local memory, then stored into the other local buffer, so
 * there is one barrier per k-tile. Work-item (tr, tc) owns GEMM_WM×GEMM_WN = 4×4 elements of C:
 * rows GEMM_OWN(tr, r, 16), columns GEMM_OWN(tc, q, 16), i.e. runs of GEMM_VEC consecutive
 * rows/columns (16 bytes: 4 floats, 2 doubles) GEMM_VEC·16 apart. A warp of 32 is 8 columns × 4
 * rows of work-items, so one depth step reads 16 values of A (broadcast) and 32 of B from local
 * memory per warp as 128-bit loads, each 8-lane phase reading 128 contiguous bytes (no bank
 * conflicts in either dtype), for 16 multiply-adds per work-item.
 * Every C element is summed in the order p = 0, 1, …, k−1 in one work-item: the result does not
 * depend on the batch, the grid or the device's scheduling (bit-for-bit reproducible).
 */
GEMM_KERNEL void gemm_tiled(int batch, int m, int n, int k, int transA, int transB,
                            REAL alpha, REAL beta,
                            GLOBAL const REAL* A, OFF_T offA, OFF_T strideA,
                            GLOBAL const REAL* B, OFF_T offB, OFF_T strideB,
                            GLOBAL REAL* C, OFF_T offC, OFF_T strideC) {
    SHARED REAL As[2][GEMM_TK][GEMM_TM + GEMM_PAD] GDC_ALIGN16;
    SHARED REAL Bs[2][GEMM_TK][GEMM_TN + GEMM_PAD] GDC_ALIGN16;
    const int tid = LID(1) * GEMM_WG_X + LID(0);
    const int lane = tid % 32;
    const int warp = tid / 32;
    const int tc = lane % 8 + 8 * (warp % (GEMM_WG_X / 8));
    const int tr = lane / 8 + 4 * (warp / (GEMM_WG_X / 8));
    const int row0 = (int) GRP(1) * GEMM_TM;
    const int col0 = (int) GRP(0) * GEMM_TN;
    const int tiles = (k + GEMM_TK - 1) / GEMM_TK;

    /* fetch plans: op(A) is pmajor when transA, op(B) when !transB */
    int ia, pa, dia, dpa, ib, pb, dib, dpb;
    gdc_gemm_plan(transA != 0, tid, GEMM_TM, &ia, &pa, &dia, &dpa);
    gdc_gemm_plan(transB == 0, tid, GEMM_TN, &ib, &pb, &dib, &dpb);
    const OFF_T firstA = transA ? (OFF_T) pa * m + row0 + ia : (OFF_T) (row0 + ia) * k + pa;
    const OFF_T stepA = transA ? (OFF_T) dpa * m : (OFF_T) dia * k;
    const OFF_T kstepA = transA ? (OFF_T) m : (OFF_T) 1;
    const OFF_T firstB = transB ? (OFF_T) (col0 + ib) * k + pb : (OFF_T) pb * n + col0 + ib;
    const OFF_T stepB = transB ? (OFF_T) dib * k : (OFF_T) dpb * n;
    const OFF_T kstepB = transB ? (OFF_T) 1 : (OFF_T) n;
    const int rowsLeftA = m - row0 - ia, kLeftA = k - pa;
    const int rowsLeftB = n - col0 - ib, kLeftB = k - pb;

    for (OFF_T b = GRP(2); b < batch; b += NGRP(2)) {
        GLOBAL const REAL* a = A + offA + b * strideA + firstA;
        GLOBAL const REAL* bm = B + offB + b * strideB + firstB;
        GLOBAL REAL* c = C + offC + b * strideC;

        REAL acc[GEMM_WM][GEMM_WN];
#pragma unroll
        for (int r = 0; r < GEMM_WM; ++r) {
#pragma unroll
            for (int q = 0; q < GEMM_WN; ++q) acc[r][q] = R(0);
        }
        REAL ra[GEMM_LOADS_A];
        REAL rb[GEMM_LOADS_B];
        gdc_gemm_fetch(a, stepA, kstepA, 0, rowsLeftA, kLeftA, dia, dpa, GEMM_LOADS_A, ra);
        gdc_gemm_fetch(bm, stepB, kstepB, 0, rowsLeftB, kLeftB, dib, dpb, GEMM_LOADS_B, rb);
        gdc_gemm_stash(&As[0][0][0], GEMM_TM, ia, pa, dia, dpa, GEMM_LOADS_A, ra);
        gdc_gemm_stash(&Bs[0][0][0], GEMM_TN, ib, pb, dib, dpb, GEMM_LOADS_B, rb);
        BARRIER();

        for (int t = 0; t < tiles; ++t) {
            const int cur = t & 1;
            const int more = t + 1 < tiles;
            if (more) {
                const int kt = (t + 1) * GEMM_TK;
                gdc_gemm_fetch(a, stepA, kstepA, kt, rowsLeftA, kLeftA, dia, dpa, GEMM_LOADS_A, ra);
                gdc_gemm_fetch(bm, stepB, kstepB, kt, rowsLeftB, kLeftB, dib, dpb, GEMM_LOADS_B, rb);
            }
#pragma unroll
            for (int p = 0; p < GEMM_TK; ++p) {
                REAL av[GEMM_WM];
                REAL bv[GEMM_WN];
#pragma unroll
                for (int r = 0; r < GEMM_WM; ++r) av[r] = As[cur][p][GEMM_OWN(tr, r, GEMM_WG_Y)];
#pragma unroll
                for (int q = 0; q < GEMM_WN; ++q) bv[q] = Bs[cur][p][GEMM_OWN(tc, q, GEMM_WG_X)];
#pragma unroll
                for (int r = 0; r < GEMM_WM; ++r) {
#pragma unroll
                    for (int q = 0; q < GEMM_WN; ++q) acc[r][q] += av[r] * bv[q];
                }
            }
            if (more) {
                gdc_gemm_stash(&As[cur ^ 1][0][0], GEMM_TM, ia, pa, dia, dpa, GEMM_LOADS_A, ra);
                gdc_gemm_stash(&Bs[cur ^ 1][0][0], GEMM_TN, ib, pb, dib, dpb, GEMM_LOADS_B, rb);
            }
            BARRIER();
        }

#pragma unroll
        for (int r = 0; r < GEMM_WM; ++r) {
            const int gi = row0 + GEMM_OWN(tr, r, GEMM_WG_Y);
#pragma unroll
            for (int q = 0; q < GEMM_WN; ++q) {
                const int gj = col0 + GEMM_OWN(tc, q, GEMM_WG_X);
                if (gi < m && gj < n) {
                    const OFF_T idx = (OFF_T) gi * n + gj;
                    REAL v = alpha * acc[r][q];
                    if (beta != R(0)) v += beta * c[idx];
                    c[idx] = v;
                }
            }
        }
    }
}

/* ------------------------------------------------------------------ element-wise
 * Geometry of every element-wise kernel (marked "EW"): local (GDC_WG, 1, 1) = (256, 1, 1);
 * groups (g, min(batch, 65535)) for any g >= 1, e.g. g = min(ceil(count/256), 1024), where
 * count is the number of elements per entry that the kernel loops over (named below).
 */

/*
 * bias_activation (EW, count = rows·cols): z[b][i][j] = f(z[b][i][j] + bias[b][j]).
 *   int batch, int rows, int cols, int act
 *   GLOBAL REAL* z, OFF_T offZ, OFF_T strideZ
 *   GLOBAL const REAL* bias, OFF_T offBias, OFF_T strideBias   (any valid buffer if !hasBias)
 *   int hasBias                                                  0: no bias term
 */
KERNEL void bias_activation(int batch, int rows, int cols, int act,
                            GLOBAL REAL* z, OFF_T offZ, OFF_T strideZ,
                            GLOBAL const REAL* bias, OFF_T offBias, OFF_T strideBias,
                            int hasBias) {
    const OFF_T count = (OFF_T) rows * cols;
    const OFF_T step = NGRP(0) * LSIZE(0);
    for (OFF_T b = GRP(1); b < batch; b += NGRP(1)) {
        GLOBAL REAL* zb = z + offZ + b * strideZ;
        GLOBAL const REAL* bb = bias + offBias + b * strideBias;
        for (OFF_T e = GID(0); e < count; e += step) {
            REAL v = zb[e];
            if (hasBias) v += bb[e % cols];
            zb[e] = gdc_activate(act, v);
        }
    }
}

/*
 * activation_backward (EW, count = n): delta[b][e] *= f'(h[b][e]).
 *   int batch, OFF_T n, int act
 *   GLOBAL const REAL* h, OFF_T offH, OFF_T strideH
 *   GLOBAL REAL* delta, OFF_T offD, OFF_T strideD
 */
KERNEL void activation_backward(int batch, OFF_T n, int act,
                                GLOBAL const REAL* h, OFF_T offH, OFF_T strideH,
                                GLOBAL REAL* delta, OFF_T offD, OFF_T strideD) {
    const OFF_T step = NGRP(0) * LSIZE(0);
    for (OFF_T b = GRP(1); b < batch; b += NGRP(1)) {
        GLOBAL const REAL* hb = h + offH + b * strideH;
        GLOBAL REAL* db = delta + offD + b * strideD;
        for (OFF_T e = GID(0); e < n; e += step) db[e] *= gdc_derivative(act, hb[e]);
    }
}

/*
 * activation_backward_r (EW, count = n):
 *   rdelta[b][e] = rdelta[b][e]·f'(h) + e_[b][e]·f''(h)·rz[b][e], h = h[b][e].
 *   int batch, OFF_T n, int act
 *   GLOBAL const REAL* h,  OFF_T offH,  OFF_T strideH
 *   GLOBAL const REAL* ev, OFF_T offE,  OFF_T strideE
 *   GLOBAL const REAL* rz, OFF_T offRz, OFF_T strideRz
 *   GLOBAL REAL* rdelta,   OFF_T offRd, OFF_T strideRd
 */
KERNEL void activation_backward_r(int batch, OFF_T n, int act,
                                  GLOBAL const REAL* h, OFF_T offH, OFF_T strideH,
                                  GLOBAL const REAL* ev, OFF_T offE, OFF_T strideE,
                                  GLOBAL const REAL* rz, OFF_T offRz, OFF_T strideRz,
                                  GLOBAL REAL* rdelta, OFF_T offRd, OFF_T strideRd) {
    const OFF_T step = NGRP(0) * LSIZE(0);
    for (OFF_T b = GRP(1); b < batch; b += NGRP(1)) {
        GLOBAL const REAL* hb = h + offH + b * strideH;
        GLOBAL const REAL* eb = ev + offE + b * strideE;
        GLOBAL const REAL* rb = rz + offRz + b * strideRz;
        GLOBAL REAL* db = rdelta + offRd + b * strideRd;
        for (OFF_T e = GID(0); e < n; e += step) {
            const REAL hv = hb[e];
            db[e] = db[e] * gdc_derivative(act, hv) + eb[e] * gdc_second_derivative(act, hv) * rb[e];
        }
    }
}

/*
 * loss_hessian_vector (EW, count = rows; one work-item per row):
 *   hv[b][i] = scale·∇²ℓ(z[b][i], y[i])·v[b][i]; MSE: scale·v;
 *   CROSS_ENTROPY: scale·s·(p ⊙ v − p·(p·v)), s = Σ_j y_ij, p = softmax(z[b][i]).
 *   int batch, int rows, int cols, int loss
 *   GLOBAL const REAL* z, OFF_T offZ, OFF_T strideZ
 *   GLOBAL const REAL* y, OFF_T offY, OFF_T strideY
 *   GLOBAL const REAL* v, OFF_T offV, OFF_T strideV
 *   REAL scale
 *   GLOBAL REAL* hv, OFF_T offHv, OFF_T strideHv       (may alias v)
 */
KERNEL void loss_hessian_vector(int batch, int rows, int cols, int loss,
                                GLOBAL const REAL* z, OFF_T offZ, OFF_T strideZ,
                                GLOBAL const REAL* y, OFF_T offY, OFF_T strideY,
                                GLOBAL const REAL* v, OFF_T offV, OFF_T strideV,
                                REAL scale,
                                GLOBAL REAL* hv, OFF_T offHv, OFF_T strideHv) {
    const OFF_T step = NGRP(0) * LSIZE(0);
    for (OFF_T b = GRP(1); b < batch; b += NGRP(1)) {
        for (OFF_T i = GID(0); i < rows; i += step) {
            GLOBAL const REAL* zr = z + offZ + b * strideZ + i * cols;
            GLOBAL const REAL* yr = y + offY + b * strideY + i * cols;
            GLOBAL const REAL* vr = v + offV + b * strideV + i * cols;
            GLOBAL REAL* hr = hv + offHv + b * strideHv + i * cols;
            if (loss == GDC_LOSS_MSE) {
                for (int j = 0; j < cols; ++j) hr[j] = scale * vr[j];
            } else {
                REAL mx = zr[0];
                for (int j = 1; j < cols; ++j) mx = fmax(mx, zr[j]);
                REAL se = R(0), s = R(0), pv = R(0);
                for (int j = 0; j < cols; ++j) {
                    const REAL ex = exp(zr[j] - mx);
                    se += ex;
                    pv += ex * vr[j];
                    s += yr[j];
                }
                pv /= se;
                for (int j = 0; j < cols; ++j) {
                    const REAL p = exp(zr[j] - mx) / se;
                    hr[j] = scale * s * (p * vr[j] - p * pv);
                }
            }
        }
    }
}

/*
 * update (EW, count = n): w[b][e] -= lr[b]·g[b][e]; an entry with lr[b] == 0 is frozen
 * (neither w[b] nor g[b] is touched).
 *   int batch, OFF_T n
 *   GLOBAL REAL* w,        OFF_T offW,  OFF_T strideW
 *   GLOBAL const REAL* g,  OFF_T offG,  OFF_T strideG
 *   GLOBAL const REAL* lr, OFF_T offLr, OFF_T strideLr
 */
KERNEL void update(int batch, OFF_T n,
                   GLOBAL REAL* w, OFF_T offW, OFF_T strideW,
                   GLOBAL const REAL* g, OFF_T offG, OFF_T strideG,
                   GLOBAL const REAL* lr, OFF_T offLr, OFF_T strideLr) {
    const OFF_T step = NGRP(0) * LSIZE(0);
    for (OFF_T b = GRP(1); b < batch; b += NGRP(1)) {
        const REAL rate = lr[offLr + b * strideLr];
        if (rate == R(0)) continue;
        GLOBAL REAL* wb = w + offW + b * strideW;
        GLOBAL const REAL* gb = g + offG + b * strideG;
        for (OFF_T e = GID(0); e < n; e += step) wb[e] -= rate * gb[e];
    }
}

/*
 * optimizer_update (EW, count = n): one fused optimizer step (Backend.optimizerUpdate) with
 * η = lr[b]; an entry with lr[b] == 0 is frozen (nothing of it is read or written).
 *   kind 0 MOMENTUM: m = b1·m − η·g;  w += m
 *   kind 1 NESTEROV: m = b1·m − η·g;  w += b1·m − η·g
 *   kind 2 ADAM:     m = b1·m + (1 − b1)·g;  s = b2·s + (1 − b2)·g·g;  w −= η·(c1·m)/(sqrt(c2·s) + eps)
 * s is read only by ADAM (pass m otherwise).
 *   int batch, OFF_T n, int kind, REAL b1, REAL b2, REAL eps, REAL c1, REAL c2
 *   GLOBAL REAL* w,        OFF_T offW,  OFF_T strideW
 *   GLOBAL const REAL* g,  OFF_T offG,  OFF_T strideG
 *   GLOBAL REAL* m,        OFF_T offM,  OFF_T strideM
 *   GLOBAL REAL* s,        OFF_T offS,  OFF_T strideS
 *   GLOBAL const REAL* lr, OFF_T offLr, OFF_T strideLr
 */
KERNEL void optimizer_update(int batch, OFF_T n, int kind, REAL b1, REAL b2, REAL eps, REAL c1, REAL c2,
                             GLOBAL REAL* w, OFF_T offW, OFF_T strideW,
                             GLOBAL const REAL* g, OFF_T offG, OFF_T strideG,
                             GLOBAL REAL* m, OFF_T offM, OFF_T strideM,
                             GLOBAL REAL* s, OFF_T offS, OFF_T strideS,
                             GLOBAL const REAL* lr, OFF_T offLr, OFF_T strideLr) {
    const OFF_T step = NGRP(0) * LSIZE(0);
    const REAL o1 = R(1) - b1;
    const REAL o2 = R(1) - b2;
    for (OFF_T b = GRP(1); b < batch; b += NGRP(1)) {
        const REAL rate = lr[offLr + b * strideLr];
        if (rate == R(0)) continue;
        GLOBAL REAL* wb = w + offW + b * strideW;
        GLOBAL const REAL* gb = g + offG + b * strideG;
        GLOBAL REAL* mb = m + offM + b * strideM;
        GLOBAL REAL* sb = s + offS + b * strideS;
        for (OFF_T e = GID(0); e < n; e += step) {
            const REAL gv = gb[e];
            if (kind == GDC_OPT_ADAM) {
                const REAL mv = b1 * mb[e] + o1 * gv;
                const REAL sv = b2 * sb[e] + o2 * gv * gv;
                mb[e] = mv;
                sb[e] = sv;
                wb[e] -= rate * (c1 * mv) / (sqrt(c2 * sv) + eps);
            } else {
                const REAL st = rate * gv;
                const REAL v = b1 * mb[e] - st;
                mb[e] = v;
                wb[e] += kind == GDC_OPT_NESTEROV ? b1 * v - st : v;
            }
        }
    }
}

/*
 * adam_tangent (EW, count = n): Adam's tangent step (Backend.adamTangent) with η = lr[b], at the
 * reference's pre-update moments m, s and gradient g (read only), δg = hv; an entry with
 * lr[b] == 0 is frozen (nothing of it is read or written).
 *   m' = b1·m + (1 − b1)·g;  s' = b2·s + (1 − b2)·g·g;  r = sqrt(c2·s');  d = r + eps
 *   dm = b1·dm + (1 − b1)·hv;  ds = b2·ds + (1 − b2)·(2·g·hv)
 *   dr = c2·ds/(2·r) (0 where r == 0);  dw −= η·(c1·(dm − m'·dr/d))/d
 *   int batch, OFF_T n, REAL b1, REAL b2, REAL eps, REAL c1, REAL c2
 *   GLOBAL REAL* dw,       OFF_T offDw, OFF_T strideDw
 *   GLOBAL REAL* dm,       OFF_T offDm, OFF_T strideDm
 *   GLOBAL REAL* ds,       OFF_T offDs, OFF_T strideDs
 *   GLOBAL const REAL* hv, OFF_T offHv, OFF_T strideHv
 *   GLOBAL const REAL* g,  OFF_T offG,  OFF_T strideG
 *   GLOBAL const REAL* m,  OFF_T offM,  OFF_T strideM
 *   GLOBAL const REAL* s,  OFF_T offS,  OFF_T strideS
 *   GLOBAL const REAL* lr, OFF_T offLr, OFF_T strideLr
 */
KERNEL void adam_tangent(int batch, OFF_T n, REAL b1, REAL b2, REAL eps, REAL c1, REAL c2,
                         GLOBAL REAL* dw, OFF_T offDw, OFF_T strideDw,
                         GLOBAL REAL* dm, OFF_T offDm, OFF_T strideDm,
                         GLOBAL REAL* ds, OFF_T offDs, OFF_T strideDs,
                         GLOBAL const REAL* hv, OFF_T offHv, OFF_T strideHv,
                         GLOBAL const REAL* g, OFF_T offG, OFF_T strideG,
                         GLOBAL const REAL* m, OFF_T offM, OFF_T strideM,
                         GLOBAL const REAL* s, OFF_T offS, OFF_T strideS,
                         GLOBAL const REAL* lr, OFF_T offLr, OFF_T strideLr) {
    const OFF_T step = NGRP(0) * LSIZE(0);
    const REAL o1 = R(1) - b1;
    const REAL o2 = R(1) - b2;
    for (OFF_T b = GRP(1); b < batch; b += NGRP(1)) {
        const REAL rate = lr[offLr + b * strideLr];
        if (rate == R(0)) continue;
        GLOBAL REAL* dwb = dw + offDw + b * strideDw;
        GLOBAL REAL* dmb = dm + offDm + b * strideDm;
        GLOBAL REAL* dsb = ds + offDs + b * strideDs;
        GLOBAL const REAL* hb = hv + offHv + b * strideHv;
        GLOBAL const REAL* gb = g + offG + b * strideG;
        GLOBAL const REAL* mb = m + offM + b * strideM;
        GLOBAL const REAL* sb = s + offS + b * strideS;
        for (OFF_T e = GID(0); e < n; e += step) {
            const REAL gv = gb[e];
            const REAL dg = hb[e];
            const REAL mn = b1 * mb[e] + o1 * gv;
            const REAL sn = b2 * sb[e] + o2 * gv * gv;
            const REAL r = sqrt(c2 * sn);
            const REAL d = r + eps;
            const REAL dmv = b1 * dmb[e] + o1 * dg;
            const REAL dsv = b2 * dsb[e] + o2 * (R(2) * gv * dg);
            dmb[e] = dmv;
            dsb[e] = dsv;
            const REAL dr = r > R(0) ? c2 * dsv / (R(2) * r) : R(0);
            dwb[e] -= rate * (c1 * (dmv - mn * dr / d)) / d;
        }
    }
}

/*
 * adam_precondition (EW, count = n): Adam's square-rooted preconditioner at step t
 * (Backend.adamPrecondition), y = D^{1/2}·x with D = c1/(sqrt(c2·s) + eps); s read only, y may
 * alias x.
 *   y[b][e] = x[b][e]·sqrt(c1/(sqrt(c2·s[b][e]) + eps))
 *   int batch, OFF_T n, REAL eps, REAL c1, REAL c2
 *   GLOBAL const REAL* s, OFF_T offS, OFF_T strideS
 *   GLOBAL const REAL* x, OFF_T offX, OFF_T strideX
 *   GLOBAL REAL* y,       OFF_T offY, OFF_T strideY
 */
KERNEL void adam_precondition(int batch, OFF_T n, REAL eps, REAL c1, REAL c2,
                              GLOBAL const REAL* s, OFF_T offS, OFF_T strideS,
                              GLOBAL const REAL* x, OFF_T offX, OFF_T strideX,
                              GLOBAL REAL* y, OFF_T offY, OFF_T strideY) {
    const OFF_T step = NGRP(0) * LSIZE(0);
    for (OFF_T b = GRP(1); b < batch; b += NGRP(1)) {
        GLOBAL const REAL* sb = s + offS + b * strideS;
        GLOBAL const REAL* xb = x + offX + b * strideX;
        GLOBAL REAL* yb = y + offY + b * strideY;
        for (OFF_T e = GID(0); e < n; e += step) {
            yb[e] = xb[e] * sqrt(c1 / (sqrt(c2 * sb[e]) + eps));
        }
    }
}

/*
 * axpby (EW, count = n): y[b][e] = alpha[b]·x[b][e] + beta[b]·y[b][e].
 *   int batch, OFF_T n
 *   GLOBAL const REAL* alpha, OFF_T offAl, OFF_T strideAl
 *   GLOBAL const REAL* x,     OFF_T offX,  OFF_T strideX
 *   GLOBAL const REAL* beta,  OFF_T offBe, OFF_T strideBe
 *   GLOBAL REAL* y,           OFF_T offY,  OFF_T strideY
 */
KERNEL void axpby(int batch, OFF_T n,
                  GLOBAL const REAL* alpha, OFF_T offAl, OFF_T strideAl,
                  GLOBAL const REAL* x, OFF_T offX, OFF_T strideX,
                  GLOBAL const REAL* beta, OFF_T offBe, OFF_T strideBe,
                  GLOBAL REAL* y, OFF_T offY, OFF_T strideY) {
    const OFF_T step = NGRP(0) * LSIZE(0);
    for (OFF_T b = GRP(1); b < batch; b += NGRP(1)) {
        const REAL al = alpha[offAl + b * strideAl];
        const REAL be = beta[offBe + b * strideBe];
        GLOBAL const REAL* xb = x + offX + b * strideX;
        GLOBAL REAL* yb = y + offY + b * strideY;
        for (OFF_T e = GID(0); e < n; e += step) yb[e] = al * xb[e] + be * yb[e];
    }
}

/*
 * scale (EW, count = n): y[b][e] *= s[b].
 *   int batch, OFF_T n
 *   GLOBAL const REAL* s, OFF_T offS, OFF_T strideS
 *   GLOBAL REAL* y,       OFF_T offY, OFF_T strideY
 */
KERNEL void scale(int batch, OFF_T n,
                  GLOBAL const REAL* s, OFF_T offS, OFF_T strideS,
                  GLOBAL REAL* y, OFF_T offY, OFF_T strideY) {
    const OFF_T step = NGRP(0) * LSIZE(0);
    for (OFF_T b = GRP(1); b < batch; b += NGRP(1)) {
        const REAL f = s[offS + b * strideS];
        GLOBAL REAL* yb = y + offY + b * strideY;
        for (OFF_T e = GID(0); e < n; e += step) yb[e] *= f;
    }
}

/*
 * fill (EW with batch 1, count = n): dst[off + e] = value.
 *   OFF_T n, REAL value, GLOBAL REAL* dst, OFF_T off
 */
KERNEL void fill(OFF_T n, REAL value, GLOBAL REAL* dst, OFF_T off) {
    const OFF_T step = NGRP(0) * LSIZE(0);
    for (OFF_T e = GID(0); e < n; e += step) dst[off + e] = value;
}

/* ------------------------------------------------------------------ per-entry reductions
 * Geometry of every work-group reduction (marked "WR"): one work-group per entry,
 * local (GDC_WG, 1, 1) = (256, 1, 1), groups (1, min(batch, 65535)). The work-group size
 * must be exactly GDC_WG. Sums accumulate in ACC (double when available).
 */

/*
 * loss_gradient (WR): per row i (one work-item per row, rows strided over the group):
 *   grad[b][i][j] = scale·∂ℓ(z[b][i], y[i])/∂z_j and lossSum[b] += scale·Σ_i ℓ(z[b][i], y[i]).
 *   CROSS_ENTROPY: ℓ = Σ_j y_j·(lse − z_j), lse = max z + log Σ_j exp(z_j − max z) (terms
 *   with y_j = 0 skipped), ∂ℓ/∂z_j = softmax(z)_j·Σ_k y_k − y_j. MSE: ℓ = ½Σ_j (z_j − y_j)²,
 *   ∂ℓ/∂z_j = z_j − y_j.
 *   int batch, int rows, int cols, int loss
 *   GLOBAL const REAL* z, OFF_T offZ, OFF_T strideZ
 *   GLOBAL const REAL* y, OFF_T offY, OFF_T strideY
 *   REAL scale
 *   GLOBAL REAL* grad, OFF_T offG, OFF_T strideG         (may alias z)
 *   GLOBAL REAL* lossSum, OFF_T offL, OFF_T strideL
 */
KERNEL void loss_gradient(int batch, int rows, int cols, int loss,
                          GLOBAL const REAL* z, OFF_T offZ, OFF_T strideZ,
                          GLOBAL const REAL* y, OFF_T offY, OFF_T strideY,
                          REAL scale,
                          GLOBAL REAL* grad, OFF_T offG, OFF_T strideG,
                          GLOBAL REAL* lossSum, OFF_T offL, OFF_T strideL) {
    SHARED ACC buf[GDC_WG];
    const int lid = LID(0);
    for (OFF_T b = GRP(1); b < batch; b += NGRP(1)) {
        ACC part = 0;
        for (OFF_T i = lid; i < rows; i += GDC_WG) {
            GLOBAL const REAL* zr = z + offZ + b * strideZ + i * cols;
            GLOBAL const REAL* yr = y + offY + b * strideY + i * cols;
            GLOBAL REAL* gr = grad + offG + b * strideG + i * cols;
            if (loss == GDC_LOSS_MSE) {
                REAL l = R(0);
                for (int j = 0; j < cols; ++j) {
                    const REAL d = zr[j] - yr[j];
                    l += d * d;
                    gr[j] = scale * d;
                }
                part += (ACC) (R(0.5) * l);
            } else {
                REAL mx = zr[0];
                for (int j = 1; j < cols; ++j) mx = fmax(mx, zr[j]);
                REAL se = R(0), s = R(0);
                for (int j = 0; j < cols; ++j) {
                    se += exp(zr[j] - mx);
                    s += yr[j];
                }
                const REAL lse = mx + log(se);
                REAL l = R(0);
                for (int j = 0; j < cols; ++j) {
                    const REAL yj = yr[j];
                    const REAL zj = zr[j];
                    if (yj != R(0)) l += yj * (lse - zj);
                    gr[j] = scale * (exp(zj - mx) / se * s - yj);
                }
                part += (ACC) l;
            }
        }
        const ACC total = gdc_group_sum(buf, lid, part);
        if (lid == 0) lossSum[offL + b * strideL] += (REAL) ((ACC) scale * total);
    }
}

/*
 * count_correct (WR): correct[b] += #{i : argmax_j z[b][i][j] = argmax_j y[i][j]}, first
 * maximum wins on ties.
 *   int batch, int rows, int cols
 *   GLOBAL const REAL* z, OFF_T offZ, OFF_T strideZ
 *   GLOBAL const REAL* y, OFF_T offY, OFF_T strideY
 *   GLOBAL REAL* correct, OFF_T offC, OFF_T strideC
 */
KERNEL void count_correct(int batch, int rows, int cols,
                          GLOBAL const REAL* z, OFF_T offZ, OFF_T strideZ,
                          GLOBAL const REAL* y, OFF_T offY, OFF_T strideY,
                          GLOBAL REAL* correct, OFF_T offC, OFF_T strideC) {
    SHARED ACC buf[GDC_WG];
    const int lid = LID(0);
    for (OFF_T b = GRP(1); b < batch; b += NGRP(1)) {
        ACC hits = 0;
        for (OFF_T i = lid; i < rows; i += GDC_WG) {
            GLOBAL const REAL* zr = z + offZ + b * strideZ + i * cols;
            GLOBAL const REAL* yr = y + offY + b * strideY + i * cols;
            int az = 0, ay = 0;
            REAL bz = zr[0], by = yr[0];
            for (int j = 1; j < cols; ++j) {
                if (zr[j] > bz) { bz = zr[j]; az = j; }
                if (yr[j] > by) { by = yr[j]; ay = j; }
            }
            if (az == ay) hits += 1;
        }
        const ACC total = gdc_group_sum(buf, lid, hits);
        if (lid == 0) correct[offC + b * strideC] += (REAL) total;
    }
}

/*
 * reduce (WR): out[b] = Σ_{e<n} g(x[b][e], y[b][e]) (see gdc_term; y unused by codes 0, 1, any
 * valid buffer may be passed). Overwrites out[b].
 *   int batch, OFF_T n, int op
 *   GLOBAL const REAL* x, OFF_T offX, OFF_T strideX
 *   GLOBAL const REAL* y, OFF_T offY, OFF_T strideY
 *   GLOBAL REAL* out, OFF_T offO, OFF_T strideO
 */
KERNEL void reduce(int batch, OFF_T n, int op,
                   GLOBAL const REAL* x, OFF_T offX, OFF_T strideX,
                   GLOBAL const REAL* y, OFF_T offY, OFF_T strideY,
                   GLOBAL REAL* out, OFF_T offO, OFF_T strideO) {
    SHARED ACC buf[GDC_WG];
    const int lid = LID(0);
    const int binary = op >= 2;
    for (OFF_T b = GRP(1); b < batch; b += NGRP(1)) {
        GLOBAL const REAL* xb = x + offX + b * strideX;
        GLOBAL const REAL* yb = y + offY + b * strideY;
        /* two independent accumulators over a loop bound, then the scalar tail */
        ACC s0 = 0, s1 = 0;
        const OFF_T bound = n - (n % (2 * GDC_WG));
        OFF_T e = lid;
        for (; e < bound; e += 2 * GDC_WG) {
            s0 += gdc_term(op, xb[e], binary ? yb[e] : R(0));
            s1 += gdc_term(op, xb[e + GDC_WG], binary ? yb[e + GDC_WG] : R(0));
        }
        for (; e < n; e += GDC_WG) s0 += gdc_term(op, xb[e], binary ? yb[e] : R(0));
        const ACC total = gdc_group_sum(buf, lid, s0 + s1);
        if (lid == 0) out[offO + b * strideO] = (REAL) total;
    }
}

/*
 * non_finite (WR): flags[b] = 1 if any x[b][e], e < n, is NaN or ±∞; else flags[b] unchanged.
 *   int batch, OFF_T n
 *   GLOBAL const REAL* x, OFF_T offX, OFF_T strideX
 *   GLOBAL REAL* flags, OFF_T offF, OFF_T strideF
 */
KERNEL void non_finite(int batch, OFF_T n,
                       GLOBAL const REAL* x, OFF_T offX, OFF_T strideX,
                       GLOBAL REAL* flags, OFF_T offF, OFF_T strideF) {
    SHARED ACC buf[GDC_WG];
    const int lid = LID(0);
    for (OFF_T b = GRP(1); b < batch; b += NGRP(1)) {
        GLOBAL const REAL* xb = x + offX + b * strideX;
        ACC bad = 0;
        for (OFF_T e = lid; e < n; e += GDC_WG) {
            if (!isfinite(xb[e])) bad = 1;
        }
        const ACC total = gdc_group_sum(buf, lid, bad);
        if (lid == 0 && total != 0) flags[offF + b * strideF] = R(1);
    }
}

/* ------------------------------------------------------------------ column sums */

/*
 * column_sums: out[b][j] = alpha·Σ_{i<rows} x[b][i][j] + beta·out[b][j]; beta == 0 ignores
 * out's old contents.
 *   int batch, int rows, int cols, REAL alpha
 *   GLOBAL const REAL* x, OFF_T offX, OFF_T strideX
 *   REAL beta
 *   GLOBAL REAL* out, OFF_T offO, OFF_T strideO
 * Geometry: local (COLSUM_WG_X, COLSUM_WG_Y, 1) = (16, 16, 1);
 *   groups (ceil(cols/16), 1, min(batch, 65535)). Work-item (tx, ty) sums column
 *   16·group + tx over rows ty, ty+16, …; the 16 partial sums are tree-reduced.
 */
KERNEL void column_sums(int batch, int rows, int cols, REAL alpha,
                        GLOBAL const REAL* x, OFF_T offX, OFF_T strideX,
                        REAL beta,
                        GLOBAL REAL* out, OFF_T offO, OFF_T strideO) {
    SHARED ACC part[COLSUM_WG_Y][COLSUM_WG_X];
    const int tx = LID(0);
    const int ty = LID(1);
    const OFF_T j = GRP(0) * COLSUM_WG_X + tx;
    for (OFF_T b = GRP(2); b < batch; b += NGRP(2)) {
        GLOBAL const REAL* xb = x + offX + b * strideX;
        GLOBAL REAL* ob = out + offO + b * strideO;
        ACC s = 0;
        if (j < cols) {
            for (OFF_T i = ty; i < rows; i += COLSUM_WG_Y) s += (ACC) xb[i * cols + j];
        }
        part[ty][tx] = s;
        BARRIER();
        for (int h = COLSUM_WG_Y / 2; h > 0; h >>= 1) {
            if (ty < h) part[ty][tx] += part[ty + h][tx];
            BARRIER();
        }
        if (ty == 0 && j < cols) {
            REAL v = (REAL) ((ACC) alpha * part[0][tx]);
            if (beta != R(0)) v += beta * ob[j];
            ob[j] = v;
        }
        BARRIER();
    }
}

/* ------------------------------------------------------------------ convolution and pooling
 * NHWC tensors (channels last) per entry: sample s, row y, column x, channel c at
 * ((s·h + y)·w + x)·c_count + c. All four kernels are EW (element-wise geometry) with one
 * work-item per output element; indices within an entry fit in int (ConvShape and PoolShape check
 * that the im2col matrix, n·outH·outW·k·k·cin, and the pooling input stay below 2^31), so only the
 * entry offsets are OFF_T. Codes: pooling AVG 0, MAX 1.
 */

/*
 * im2col (EW, count = n·outH·outW·k·k·cin), outH = h + 2·pad − k + 1 (outW likewise):
 *   cols[b][r·P + (ky·k + kx)·cin + c] = x[b][((s·h + iy)·w + ix)·cin + c], 0 outside the input,
 *   r = (s·outH + oy)·outW + ox, P = k·k·cin, iy = oy + ky − pad, ix = ox + kx − pad.
 *   int batch, int n, int h, int w, int cin, int k, int pad
 *   GLOBAL const REAL* x, OFF_T offX, OFF_T strideX
 *   GLOBAL REAL* cols, OFF_T offC, OFF_T strideC
 */
KERNEL void im2col(int batch, int n, int h, int w, int cin, int k, int pad,
                   GLOBAL const REAL* x, OFF_T offX, OFF_T strideX,
                   GLOBAL REAL* cols, OFF_T offC, OFF_T strideC) {
    const int outH = h + 2 * pad - k + 1, outW = w + 2 * pad - k + 1;
    const int kc = k * cin, patch = k * kc;
    const OFF_T count = (OFF_T) n * outH * outW * patch;
    const OFF_T step = NGRP(0) * LSIZE(0);
    for (OFF_T b = GRP(1); b < batch; b += NGRP(1)) {
        GLOBAL const REAL* xb = x + offX + b * strideX;
        GLOBAL REAL* cb = cols + offC + b * strideC;
        for (OFF_T e = GID(0); e < count; e += step) {
            const int ei = (int) e;
            const int r = ei / patch, q = ei - r * patch;
            const int ky = q / kc, kq = q - ky * kc;
            const int kx = kq / cin, c = kq - kx * cin;
            const int ox = r % outW, t = r / outW;
            const int oy = t % outH, s = t / outH;
            const int iy = oy + ky - pad, ix = ox + kx - pad;
            cb[e] = (iy >= 0 && iy < h && ix >= 0 && ix < w) ? xb[((s * h + iy) * w + ix) * cin + c] : R(0);
        }
    }
}

/*
 * col2im (EW, count = n·h·w·cin), the adjoint of im2col, accumulating:
 *   dx[b][((s·h + iy)·w + ix)·cin + c] += Σ_{ky,kx} cols[b][r·P + (ky·k + kx)·cin + c] over the
 *   (ky, kx) with (oy, ox) = (iy + pad − ky, ix + pad − kx) inside [0, outH) × [0, outW),
 *   r = (s·outH + oy)·outW + ox. One work-item gathers one dx element: no atomics, deterministic.
 *   int batch, int n, int h, int w, int cin, int k, int pad
 *   GLOBAL const REAL* cols, OFF_T offC, OFF_T strideC
 *   GLOBAL REAL* dx, OFF_T offD, OFF_T strideD
 */
KERNEL void col2im(int batch, int n, int h, int w, int cin, int k, int pad,
                   GLOBAL const REAL* cols, OFF_T offC, OFF_T strideC,
                   GLOBAL REAL* dx, OFF_T offD, OFF_T strideD) {
    const int outH = h + 2 * pad - k + 1, outW = w + 2 * pad - k + 1;
    const int patch = k * k * cin;
    const OFF_T count = (OFF_T) n * h * w * cin;
    const OFF_T step = NGRP(0) * LSIZE(0);
    for (OFF_T b = GRP(1); b < batch; b += NGRP(1)) {
        GLOBAL const REAL* cb = cols + offC + b * strideC;
        GLOBAL REAL* db = dx + offD + b * strideD;
        for (OFF_T e = GID(0); e < count; e += step) {
            const int ei = (int) e;
            const int c = ei % cin, t = ei / cin;
            const int ix = t % w, t2 = t / w;
            const int iy = t2 % h, s = t2 / h;
            REAL sum = R(0);
            for (int ky = 0; ky < k; ++ky) {
                const int oy = iy + pad - ky;
                if (oy < 0 || oy >= outH) continue;
                for (int kx = 0; kx < k; ++kx) {
                    const int ox = ix + pad - kx;
                    if (ox < 0 || ox >= outW) continue;
                    sum += cb[((s * outH + oy) * outW + ox) * patch + (ky * k + kx) * cin + c];
                }
            }
            db[e] += sum;
        }
    }
}

/* Position (0..3, row-major) of the first maximum of the 2×2 window at p: p, p + right,
 * p + down, p + down + right; a later element wins only when strictly greater. */
DEVICE_FN int gdc_first_max(GLOBAL const REAL* p, int right, int down) {
    int best = 0;
    REAL v = p[0];
    if (p[right] > v) { best = 1; v = p[right]; }
    if (p[down] > v) { best = 2; v = p[down]; }
    if (p[down + right] > v) best = 3;
    return best;
}

/*
 * pool (EW, count = n·⌊h/2⌋·⌊w/2⌋·c): 2×2 stride-2 pooling of v, selection by sel:
 *   AVG (op 0): y = ((v00 + v01) + v10 + v11)·¼; MAX (op 1): y = v at the first maximum of sel's
 *   window. Forward pooling passes sel = v = x; its R-operator passes sel = x, v = rx.
 *   For odd h/w the last row/column is in no window.
 *   int batch, int op, int n, int h, int w, int c
 *   GLOBAL const REAL* sel, OFF_T offS, OFF_T strideS   (any valid buffer for AVG)
 *   GLOBAL const REAL* v, OFF_T offV, OFF_T strideV
 *   GLOBAL REAL* y, OFF_T offY, OFF_T strideY
 */
KERNEL void pool(int batch, int op, int n, int h, int w, int c,
                 GLOBAL const REAL* sel, OFF_T offS, OFF_T strideS,
                 GLOBAL const REAL* v, OFF_T offV, OFF_T strideV,
                 GLOBAL REAL* y, OFF_T offY, OFF_T strideY) {
    const int outH = h / 2, outW = w / 2, right = c, down = w * c;
    const OFF_T count = (OFF_T) n * outH * outW * c;
    const OFF_T step = NGRP(0) * LSIZE(0);
    for (OFF_T b = GRP(1); b < batch; b += NGRP(1)) {
        GLOBAL const REAL* sb = sel + offS + b * strideS;
        GLOBAL const REAL* vb = v + offV + b * strideV;
        GLOBAL REAL* yb = y + offY + b * strideY;
        for (OFF_T e = GID(0); e < count; e += step) {
            const int ei = (int) e;
            const int ch = ei % c, t = ei / c;
            const int ox = t % outW, t2 = t / outW;
            const int oy = t2 % outH, s = t2 / outH;
            const int a = ((s * h + 2 * oy) * w + 2 * ox) * c + ch;
            if (op == GDC_POOL_MAX) {
                const int best = gdc_first_max(sb + a, right, down);
                yb[e] = vb[a + (best >> 1) * down + (best & 1) * right];
            } else {
                yb[e] = (vb[a] + vb[a + right] + vb[a + down] + vb[a + down + right]) * R(0.25);
            }
        }
    }
}

/*
 * pool_backward (EW, count = n·h·w·c), overwriting every dx element:
 *   AVG (op 0): dx = dy·¼ at each input of a window; MAX (op 1): dx = dy at the window's first
 *   maximum of x, 0 at its other inputs; 0 for inputs in no window (last row/column of odd h/w).
 *   int batch, int op, int n, int h, int w, int c
 *   GLOBAL const REAL* x, OFF_T offX, OFF_T strideX     (any valid buffer for AVG)
 *   GLOBAL const REAL* dy, OFF_T offG, OFF_T strideG
 *   GLOBAL REAL* dx, OFF_T offD, OFF_T strideD
 */
KERNEL void pool_backward(int batch, int op, int n, int h, int w, int c,
                          GLOBAL const REAL* x, OFF_T offX, OFF_T strideX,
                          GLOBAL const REAL* dy, OFF_T offG, OFF_T strideG,
                          GLOBAL REAL* dx, OFF_T offD, OFF_T strideD) {
    const int outH = h / 2, outW = w / 2, right = c, down = w * c;
    const OFF_T count = (OFF_T) n * h * w * c;
    const OFF_T step = NGRP(0) * LSIZE(0);
    for (OFF_T b = GRP(1); b < batch; b += NGRP(1)) {
        GLOBAL const REAL* xb = x + offX + b * strideX;
        GLOBAL const REAL* gb = dy + offG + b * strideG;
        GLOBAL REAL* db = dx + offD + b * strideD;
        for (OFF_T e = GID(0); e < count; e += step) {
            const int ei = (int) e;
            const int ch = ei % c, t = ei / c;
            const int ix = t % w, t2 = t / w;
            const int iy = t2 % h, s = t2 / h;
            const int oy = iy / 2, ox = ix / 2;
            REAL out = R(0);
            if (oy < outH && ox < outW) {
                const REAL g = gb[((s * outH + oy) * outW + ox) * c + ch];
                if (op == GDC_POOL_MAX) {
                    const int a = ((s * h + 2 * oy) * w + 2 * ox) * c + ch;
                    const int pos = (iy - 2 * oy) * 2 + (ix - 2 * ox);
                    if (gdc_first_max(xb + a, right, down) == pos) out = g;
                } else {
                    out = g * R(0.25);
                }
            }
            db[e] = out;
        }
    }
}
