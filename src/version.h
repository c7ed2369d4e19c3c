/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef STAP_VERSION_H
#define STAP_VERSION_H
/* our own release */
#define STAP_VERSION "0.1"
/* the SystemTap language level we implement (systemtap_v, --compatible) */
#define STAP_COMPAT_VERSION "4.8"
#endif
