// semsearch builds and runs on Linux only: `index --watch` uses inotify, the BLAS and LAPACK calls
// are OpenBLAS's, and the screen links ncursesw by its Linux name. A build elsewhere stops here
// rather than failing later on a missing symbol.
#if !os(Linux)
#error("semsearch builds on Linux only (inotify, OpenBLAS, ncursesw)")
#endif
