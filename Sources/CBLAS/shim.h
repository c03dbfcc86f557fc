#include <cblas.h>

/* Exported by OpenBLAS's pthreads server (not in cblas.h): stops its worker threads, which the
   next threaded call starts again. */
int blas_thread_shutdown_(void);
