// ncursesw (wide-character curses) for the full-screen interviewer. Debian: libncurses-dev.
// The wide-character API (cchar_t, setcchar, wget_wch) needs _XOPEN_SOURCE_EXTENDED.
#ifndef TEREP_CNCURSESW_SHIM_H
#define TEREP_CNCURSESW_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>

// Macros and globals Swift cannot import, as small functions.
static inline SCREEN *terep_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline WINDOW *terep_stdscr(void) { return stdscr; }
static inline int terep_lines(void) { return LINES; }
static inline int terep_cols(void) { return COLS; }
static inline attr_t terep_a_normal(void) { return A_NORMAL; }
static inline attr_t terep_a_bold(void) { return A_BOLD; }
static inline attr_t terep_a_dim(void) { return A_DIM; }
static inline attr_t terep_a_reverse(void) { return A_REVERSE; }
static inline attr_t terep_a_underline(void) { return A_UNDERLINE; }
static inline attr_t terep_a_italic(void) { return A_ITALIC; }
static inline attr_t terep_color_pair(short pair) { return COLOR_PAIR(pair); }
static inline int terep_key_resize(void) { return KEY_RESIZE; }

#endif
