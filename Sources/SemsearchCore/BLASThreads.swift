import CBLAS

/// OpenBLAS's thread count and worker threads.
///
/// OpenBLAS starts its workers when the library loads, and each busy-waits (yielding) for about
/// 2^28 cycles after start-up and after every threaded call before it sleeps. A short process that
/// runs BLAS on one thread — a search embeds a single query — would share its cores with a
/// spinning thread for most of its life; on a 2-core machine that cost a cold search a fifth of its
/// time. Stopping the workers is safe: OpenBLAS starts them again when more threads are asked for.
public enum BLASThreads {
    /// Sets the threads BLAS calls use. Setting the count restarts stopped workers, so it is
    /// only set when it changes.
    public static func use(_ threads: Int) {
        if openblas_get_num_threads() != Int32(threads) { openblas_set_num_threads(Int32(threads)) }
    }

    /// Runs BLAS on the calling thread only and stops the idle workers.
    public static func useCallingThreadOnly() {
        use(1)
        _ = blas_thread_shutdown_()
    }
}
