#ifndef SEMSEARCH_INT8_QUAD_TILES_H
#define SEMSEARCH_INT8_QUAD_TILES_H

/* What the two vpdpbusd kernels (Int8ByteGEMM.c, one scale per token; Int8BlockGEMM.c, one per
   block of 32) share: the walk over 6-row × 32-channel tiles and the masked store of a tile row. */

#include "Int8GEMM.h"
#include <stddef.h>

#if defined(__x86_64__)
#include <immintrin.h>

/* One tile of the walk: row block `block` (rows `row` … `row + rows`), panels `panel` and, when
   `pair`, `panel + 1` (output columns `column` …, `columns0` and `columns1` of them valid). */
struct semsearch_quad_tile {
    size_t block, row, rows, panel, column, columns0, columns1;
    int pair;
};

/* Calls `tile` for every tile of C[m×n] in panels [panel_start, panel_end), panel pairs in the
   inner loop over row blocks grouped in chunks of about 128 KB of packed rows, which stay in L2
   while every panel pair passes over them (`block_bytes`: one row block's packed bytes). A lone
   last panel runs as the first half of a tile, its second half masked off. */
static inline void semsearch_quad_tiles_for_each(size_t m, size_t n, size_t panel_start, size_t panel_end, size_t block_bytes,
                                                 void (*tile)(const struct semsearch_quad_tile *, void *), void *context) {
    enum { PANEL_ = SEMSEARCH_INT8_PANEL, BLOCK_ = SEMSEARCH_INT8_BLOCK };
    size_t blocks = (m + BLOCK_ - 1) / BLOCK_, panels = (n + PANEL_ - 1) / PANEL_;
    if (panel_end > panels) panel_end = panels;
    size_t chunk = block_bytes > 0 ? (131072 + block_bytes - 1) / block_bytes : blocks;
    if (chunk == 0) chunk = 1;
    for (size_t first = 0; first < blocks; first += chunk) {
        size_t last = first + chunk < blocks ? first + chunk : blocks;
        for (size_t panel = panel_start; panel < panel_end; panel += 2) {
            struct semsearch_quad_tile t;
            t.panel = panel;
            t.column = panel * PANEL_;
            t.columns0 = n - t.column < PANEL_ ? n - t.column : PANEL_;
            t.pair = panel + 1 < panel_end;
            t.columns1 = t.pair ? (n - t.column - PANEL_ < PANEL_ ? n - t.column - PANEL_ : PANEL_) : 0;
            for (size_t block = first; block < last; block++) {
                t.block = block;
                t.row = block * BLOCK_;
                t.rows = m - t.row < BLOCK_ ? m - t.row : BLOCK_;
                tile(&t, context);
            }
        }
    }
}

/* Stores (or with `accumulate` adds) one tile row's two 16-channel halves at `out`, masked to the
   valid channels, with `bias` (the tile's first channel's bias, or NULL) added: the epilogue that
   spares a pass copying the bias into C before the product (4% of an int8 MiniLM pass). */
__attribute__((target("avx512f"))) static inline void semsearch_quad_tile_store_row(float *out, __m512 v0, __m512 v1, __mmask16 mask0,
                                                                                     __mmask16 mask1, int accumulate, const float *bias) {
    if (accumulate) {
        v0 = _mm512_add_ps(v0, _mm512_maskz_loadu_ps(mask0, out));
        v1 = _mm512_add_ps(v1, _mm512_maskz_loadu_ps(mask1, out + SEMSEARCH_INT8_PANEL));
    }
    if (bias != NULL) {
        v0 = _mm512_add_ps(v0, _mm512_maskz_loadu_ps(mask0, bias));
        v1 = _mm512_add_ps(v1, _mm512_maskz_loadu_ps(mask1, bias + SEMSEARCH_INT8_PANEL));
    }
    _mm512_mask_storeu_ps(out, mask0, v0);
    _mm512_mask_storeu_ps(out + SEMSEARCH_INT8_PANEL, mask1, v1);
}
#endif

#endif
