/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_net.h - fault-safe reads of socket buffers, net devices and sockets
 * for the networking tapsets (netdev.*, tcp.*, udp.*, socket.*, inet).
 * Every accessor takes a raw address from a probe argument and returns 0
 * (or "") when the object cannot be read.
 */
#ifndef STP_NET_H
#define STP_NET_H

#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include <linux/net.h>
#include <net/sock.h>
#include <net/inet_sock.h>
#include <linux/in6.h>
#include "tapset/stp_kread.h"

/* read the field f of the struct at addr (type T) into a local */
#define STP_KFIELD(T, addr, f, dflt)					\
	({								\
		typeof(((T *)0)->f) __v = (dflt);			\
		if (addr)						\
			stp_kread_raw(&__v, (unsigned long)(addr) +	\
				      offsetof(T, f), sizeof(__v));	\
		__v;							\
	})

enum {
	STP_SKB_LEN, STP_SKB_DATA_LEN, STP_SKB_PROTOCOL, STP_SKB_TRUESIZE,
	STP_SKB_DEV, STP_SKB_SK, STP_SKB_IIF,
};

static int64_t __maybe_unused stp_skb_field(unsigned long skb, int which)
{
	switch (which) {
	case STP_SKB_LEN:
		return STP_KFIELD(struct sk_buff, skb, len, 0);
	case STP_SKB_DATA_LEN:
		return STP_KFIELD(struct sk_buff, skb, data_len, 0);
	case STP_SKB_PROTOCOL:
		return STP_KFIELD(struct sk_buff, skb, protocol, 0);
	case STP_SKB_TRUESIZE:
		return STP_KFIELD(struct sk_buff, skb, truesize, 0);
	case STP_SKB_DEV:
		return (unsigned long)STP_KFIELD(struct sk_buff, skb, dev, NULL);
	case STP_SKB_SK:
		return (unsigned long)STP_KFIELD(struct sk_buff, skb, sk, NULL);
	case STP_SKB_IIF:
		return STP_KFIELD(struct sk_buff, skb, skb_iif, 0);
	}
	return 0;
}

/* the interface name of net_device dev into dst ("" if unreadable) */
static void __maybe_unused stp_netdev_name(char *dst, unsigned long dev)
{
	dst[0] = '\0';
	if (!dev || !stp_kread_raw(dst, dev + offsetof(struct net_device, name),
				   IFNAMSIZ))
		dst[0] = '\0';
	dst[IFNAMSIZ - 1] = '\0';
}

enum {
	STP_SK_FAMILY, STP_SK_STATE, STP_SK_DADDR, STP_SK_SADDR, STP_SK_DPORT,
	STP_SK_SPORT, STP_SK_PROTOCOL, STP_SK_TYPE,
};

/* a field of struct sock sk; ports in host order, IPv4 addresses as the
 * raw __be32 (what ip_ntop() takes) */
static int64_t __maybe_unused stp_sk_field(unsigned long sk, int which)
{
	switch (which) {
	case STP_SK_FAMILY:
		return STP_KFIELD(struct sock, sk, __sk_common.skc_family, 0);
	case STP_SK_STATE:
		return STP_KFIELD(struct sock, sk, __sk_common.skc_state, 0);
	case STP_SK_DADDR:
		return (uint32_t)STP_KFIELD(struct sock, sk,
					    __sk_common.skc_daddr, 0);
	case STP_SK_SADDR:
		return (uint32_t)STP_KFIELD(struct sock, sk,
					    __sk_common.skc_rcv_saddr, 0);
	case STP_SK_DPORT:
		return ntohs(STP_KFIELD(struct sock, sk,
					__sk_common.skc_dport, 0));
	case STP_SK_SPORT:
		return STP_KFIELD(struct sock, sk, __sk_common.skc_num, 0);
	case STP_SK_PROTOCOL:
		return STP_KFIELD(struct sock, sk, sk_protocol, 0);
	case STP_SK_TYPE:
		return STP_KFIELD(struct sock, sk, sk_type, 0);
	}
	return 0;
}

/* IPv6 addresses: the in6_addr of sk (daddr or saddr) into *a */
static bool __maybe_unused stp_sk_addr6(unsigned long sk, bool dst,
					struct in6_addr *a)
{
	size_t off = dst ? offsetof(struct sock, __sk_common.skc_v6_daddr) :
		offsetof(struct sock, __sk_common.skc_v6_rcv_saddr);

	return sk && stp_kread_raw(a, sk + off, sizeof(*a));
}

/* address text of sk's remote (dst) or local end: dotted IPv4, or
 * "[v6]" style compressed IPv6 as %pI6c prints it */
static void __maybe_unused stp_sk_addr_str(char *out, unsigned long sk,
					   bool dst)
{
	int fam = stp_sk_field(sk, STP_SK_FAMILY);

	if (fam == AF_INET) {
		__be32 a = (__be32)stp_sk_field(sk, dst ? STP_SK_DADDR :
						STP_SK_SADDR);
		scnprintf(out, MAXSTRINGLEN, "%pI4", &a);
	} else if (fam == AF_INET6) {
		struct in6_addr a;

		if (stp_sk_addr6(sk, dst, &a))
			scnprintf(out, MAXSTRINGLEN, "%pI6c", &a);
		else
			strscpy(out, "Unknown", MAXSTRINGLEN);
	} else {
		strscpy(out, "Unknown", MAXSTRINGLEN);
	}
}

/* struct socket fields: sk, type, state, flags */
enum { STP_SOCK_SK, STP_SOCK_TYPE, STP_SOCK_STATE, STP_SOCK_FLAGS };

static int64_t __maybe_unused stp_socket_field(unsigned long sock, int which)
{
	switch (which) {
	case STP_SOCK_SK:
		return (unsigned long)STP_KFIELD(struct socket, sock, sk, NULL);
	case STP_SOCK_TYPE:
		return STP_KFIELD(struct socket, sock, type, 0);
	case STP_SOCK_STATE:
		return STP_KFIELD(struct socket, sock, state, 0);
	case STP_SOCK_FLAGS:
		return STP_KFIELD(struct socket, sock, flags, 0);
	}
	return 0;
}

/* bytes left to send/receive in a struct msghdr */
static int64_t __maybe_unused stp_msghdr_size(unsigned long msg)
{
	return STP_KFIELD(struct msghdr, msg, msg_iter.count, 0);
}

#endif /* STP_NET_H */
