/* klplint model header <linux/rculist.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_RCULIST_H
#define _KLPM_LINUX_RCULIST_H

#include <linux/list.h>
#include <linux/rcupdate.h>

extern void INIT_LIST_HEAD_RCU(struct list_head *list);
extern void list_add_rcu(struct list_head *new_entry, struct list_head *head);
extern void list_add_tail_rcu(struct list_head *new_entry, struct list_head *head);
extern void list_del_rcu(struct list_head *entry);
extern void list_replace_rcu(struct list_head *old, struct list_head *new_entry);
extern void hlist_add_head_rcu(struct hlist_node *n, struct hlist_head *h);
extern void hlist_del_rcu(struct hlist_node *n);
extern void hlist_del_init_rcu(struct hlist_node *n);

#define list_entry_rcu(ptr, type, member)       container_of(ptr, type, member)
#define list_first_or_null_rcu(ptr, type, member) list_first_entry_or_null(ptr, type, member)
#define list_next_or_null_rcu(head, ptr, type, member) \
	((ptr)->next != (head) ? list_entry_rcu((ptr)->next, type, member) : NULL)

/* The optional lockdep condition is accepted and ignored. */
#define list_for_each_entry_rcu(pos, head, member, ...) list_for_each_entry(pos, head, member)
#define list_for_each_entry_srcu(pos, head, member, cond) list_for_each_entry(pos, head, member)
#define list_for_each_entry_continue_rcu(pos, head, member) list_for_each_entry_continue(pos, head, member)
#define hlist_for_each_entry_rcu(pos, head, member, ...) hlist_for_each_entry(pos, head, member)

#endif /* _KLPM_LINUX_RCULIST_H */
