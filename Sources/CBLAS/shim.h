#include <cblas.h>

/* Exported by OpenBLAS's pthreads server (not in cblas.h): stops its worker threads, which the
   next threaded call starts again. */
int blas_thread_shutdown_(void);

/* LAPACK's Cholesky factorization and solve (Fortran symbols exported by OpenBLAS). */
void spotrf_(const char *uplo, const int *n, float *a, const int *lda, int *info);
void spotrs_(const char *uplo, const int *n, const int *nrhs, const float *a, const int *lda, float *b,
             const int *ldb, int *info);

/* LAPACK's symmetric eigendecomposition (divide and conquer). */
void ssyevd_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda, float *w, float *work,
             const int *lwork, int *iwork, const int *liwork, int *info);
