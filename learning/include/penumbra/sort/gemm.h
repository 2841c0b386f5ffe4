#pragma once
/// Matrix products of the CNN scorer through the BLAS: OpenBLAS picks the widest SIMD kernels of the CPU it
/// runs on (AVX-512, AVX2 or SSE) at run time, where Eigen is limited to what the build targets. Each call runs
/// on the calling thread; the scorer spreads its blocks over threads itself.
namespace penumbra::sort {

/// C = alpha * op(A) * op(B) + beta * C for column-major A, B, C, where op(X) is X or its transpose; C is
/// m x n and the shared dimension is k; lda, ldb and ldc are the leading dimensions (rows as stored).
void gemm(bool transpose_a, bool transpose_b, int m, int n, int k, float alpha, const float* a, int lda,
          const float* b, int ldb, float beta, float* c, int ldc);
void gemm(bool transpose_a, bool transpose_b, int m, int n, int k, double alpha, const double* a, int lda,
          const double* b, int ldb, double beta, double* c, int ldc);

}  // namespace penumbra::sort
