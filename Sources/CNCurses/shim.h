#define _XOPEN_SOURCE 700
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <stdio.h>
#include <ncursesw/curses.h>

/* ncurses spells these as macros or mutable globals, which Swift cannot import or may not touch
   under strict concurrency; each is one line here. */
static inline WINDOW *semsearch_stdscr(void) { return stdscr; }
static inline WINDOW *semsearch_curscr(void) { return curscr; }
static inline int semsearch_lines(void) { return LINES; }
static inline int semsearch_columns(void) { return COLS; }
static inline int semsearch_color_pairs(void) { return COLOR_PAIRS; }
static inline int semsearch_key_f(int n) { return KEY_F(n); }
static inline attr_t semsearch_attributes(int bold, int reverse, int dim, int underline) {
    attr_t a = A_NORMAL;
    if (bold) a |= A_BOLD;
    if (reverse) a |= A_REVERSE;
    if (dim) a |= A_DIM;
    if (underline) a |= A_UNDERLINE;
    return a;
}
