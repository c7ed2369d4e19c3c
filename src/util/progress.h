/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * progress.h - "what: 3.2s" on one refreshed line of stderr while a long
 * step runs (module build, debuginfo scan, guest boot), only when stderr is
 * a terminal and the pass is not verbose; erased when the step ends.
 */
#ifndef STAP_PROGRESS_H
#define STAP_PROGRESS_H

struct progress;

/* NULL (and nothing shown) when stderr is not a terminal or quiet != 0 */
struct progress *progress_start(const char *what, int quiet);
void progress_stop(struct progress *p);

#endif
