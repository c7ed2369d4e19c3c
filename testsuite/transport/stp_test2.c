/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the same test module under a second name, to run two at once */
#include "stp_test.c"
