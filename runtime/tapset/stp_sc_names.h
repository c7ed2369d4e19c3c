/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_sc_names.h - system call arguments as names for argstr, in stap's
 * forms: a value as its name ("SEEK_SET", else 0x-hex), a set of flags as
 * names joined by '|' ("PROT_READ|PROT_WRITE"; a table entry matches when
 * it shares a bit with what is left; leftover bits in 0x-hex; 0 as the
 * table's 0 name, else "0x0").
 */
#ifndef STP_SC_NAMES_H
#define STP_SC_NAMES_H

struct stp_sc_name {
	unsigned long val;
	const char *name;
};

#define STP_SC_N(x) { x, #x }

static void __maybe_unused stp_sc_hex(char *out, unsigned long v)
{
	size_t n = strlen(out);

	scnprintf(out + n, MAXSTRINGLEN - n, "0x%lx", v);
}

/* out = the name of v in tab (n entries), else v in hex */
static void __maybe_unused stp_sc_value(const struct stp_sc_name *tab,
					size_t n, unsigned long v, char *out)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (tab[i].val == v) {
			strscpy(out, tab[i].name, MAXSTRINGLEN);
			return;
		}
	}
	stp_sc_hex(out, v);
}

/* out = the flags of v named by tab, '|'-joined, leftovers in hex */
static void __maybe_unused stp_sc_flags(const struct stp_sc_name *tab,
					size_t n, unsigned long v, char *out)
{
	size_t i;
	bool any = false;

	if (!v) {
		stp_sc_value(tab, n, 0, out);
		return;
	}
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!(tab[i].val & v))
			continue;
		if (any)
			stp_strcat(out, "|");
		stp_strcat(out, tab[i].name);
		v &= ~tab[i].val;
		any = true;
	}
	if (v) {
		if (any)
			stp_strcat(out, "|");
		stp_sc_hex(out, v);
	}
}

#endif /* STP_SC_NAMES_H */
