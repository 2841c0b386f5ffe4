#include "penumbra/sort/gemm.h"

#include <cblas.h>

namespace penumbra::sort {
namespace {

// OpenBLAS would otherwise start its own threads inside each product, on top of the scorer's.
void use_one_blas_thread() {
  static const bool once = [] {
    openblas_set_num_threads(1);
    return true;
  }();
  (void)once;
}

CBLAS_TRANSPOSE op(bool transpose) { return transpose ? CblasTrans : CblasNoTrans; }

}  // namespace

void gemm(bool transpose_a, bool transpose_b, int m, int n, int k, float alpha, const float* a, int lda,
          const float* b, int ldb, float beta, float* c, int ldc) {
  use_one_blas_thread();
  cblas_sgemm(CblasColMajor, op(transpose_a), op(transpose_b), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void gemm(bool transpose_a, bool transpose_b, int m, int n, int k, double alpha, const double* a, int lda,
          const double* b, int ldb, double beta, double* c, int ldc) {
  use_one_blas_thread();
  cblas_dgemm(CblasColMajor, op(transpose_a), op(transpose_b), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

}  // namespace penumbra::sort
