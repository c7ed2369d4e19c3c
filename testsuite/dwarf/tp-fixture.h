/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A made-up trace event header exercising what real ones do. */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM demo

#if !defined(_TRACE_DEMO_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_DEMO_H

#include <linux/tracepoint.h>

TRACE_EVENT(demo_plain,
	TP_PROTO(struct sk_buff *skb, void *location, enum skb_drop_reason reason),
	TP_ARGS(skb, location, reason),
	TP_STRUCT__entry(__field(void *, skbaddr)),
	TP_fast_assign(__entry->skbaddr = skb;),
	TP_printk("skbaddr=%p", __entry->skbaddr)
);

DECLARE_EVENT_CLASS(demo_class,
	TP_PROTO(const char *name, unsigned long ip, unsigned short port,
		 long long unsigned int big, const u8 mac[6]),
	TP_ARGS(name, ip, port, big, mac),
	TP_STRUCT__entry(__field(int, x)),
	TP_fast_assign(__entry->x = 1;),
	TP_printk("%d", __entry->x)
);

DEFINE_EVENT(demo_class, demo_derived,
	TP_PROTO(const char *name, unsigned long ip, unsigned short port,
		 long long unsigned int big, const u8 mac[6]),
	TP_ARGS(name, ip, port, big, mac)
);

#define DEFINE_DEMO_EVENT(evt)					\
	DEFINE_EVENT(demo_class, demo_##evt,			\
		TP_PROTO(const char *name, unsigned long ip,	\
			 unsigned short port,			\
			 long long unsigned int big,		\
			 const u8 mac[6]),			\
		TP_ARGS(name, ip, port, big, mac))
DEFINE_DEMO_EVENT(macro_one);
DEFINE_DEMO_EVENT(macro_two);

#define __demo_proto TP_PROTO(int (*fn)(unsigned int cpu), bool ok)
DECLARE_TRACE(demo_fnptr, __demo_proto, TP_ARGS(fn, ok));

#ifdef CONFIG_DEMO_OFF
TRACE_EVENT(demo_disabled, TP_PROTO(int a), TP_ARGS(a),
	TP_STRUCT__entry(__field(int, a)), TP_fast_assign(__entry->a = a;),
	TP_printk("%d", __entry->a));
#endif

#ifdef CONFIG_DEMO_ON
#define DEFINE_EVENT_DEMO DEFINE_EVENT
#else
#define DEFINE_EVENT_DEMO DEFINE_EVENT_NOP
#endif
DEFINE_EVENT_DEMO(demo_class, demo_conditional,
	TP_PROTO(const char *name, unsigned long ip, unsigned short port,
		 long long unsigned int big, const u8 mac[6]),
	TP_ARGS(name, ip, port, big, mac));

TRACE_EVENT_NOP(demo_nop, TP_PROTO(int a), TP_ARGS(a), , , );

TRACE_EVENT(demo_void,
	TP_PROTO(void),
	TP_ARGS(),
	TP_STRUCT__entry(__field(int, a)),
	TP_fast_assign(__entry->a = 0;),
	TP_printk("%d", __entry->a)
);

#endif /* _TRACE_DEMO_H */
