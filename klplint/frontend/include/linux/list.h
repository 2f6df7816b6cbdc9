/* klplint model header <linux/list.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_LIST_H
#define _KLPM_LINUX_LIST_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/container_of.h>

/* struct list_head, struct hlist_head and struct hlist_node are in <linux/types.h>. */

#define LIST_HEAD_INIT(name)    { .next = &(name), .prev = &(name) }
#define LIST_HEAD(name)         struct list_head name = LIST_HEAD_INIT(name)
#define HLIST_HEAD_INIT         { .first = NULL }
#define HLIST_HEAD(name)        struct hlist_head name = { .first = NULL }

/* Operations are calls. */
extern void INIT_LIST_HEAD(struct list_head *list);
extern void list_add(struct list_head *new_entry, struct list_head *head);
extern void list_add_tail(struct list_head *new_entry, struct list_head *head);
extern void list_del(struct list_head *entry);
extern void list_del_init(struct list_head *entry);
extern void list_replace(struct list_head *old, struct list_head *new_entry);
extern void list_replace_init(struct list_head *old, struct list_head *new_entry);
extern void list_move(struct list_head *list, struct list_head *head);
extern void list_move_tail(struct list_head *list, struct list_head *head);
extern int list_empty(const struct list_head *head);
extern int list_empty_careful(const struct list_head *head);
extern int list_is_singular(const struct list_head *head);
extern int list_is_first(const struct list_head *list, const struct list_head *head);
extern int list_is_last(const struct list_head *list, const struct list_head *head);
extern int list_is_head(const struct list_head *list, const struct list_head *head);
extern void list_splice(const struct list_head *list, struct list_head *head);
extern void list_splice_tail(struct list_head *list, struct list_head *head);
extern void list_splice_init(struct list_head *list, struct list_head *head);
extern void list_splice_tail_init(struct list_head *list, struct list_head *head);
extern void list_cut_position(struct list_head *list, struct list_head *head, struct list_head *entry);
extern size_t list_count_nodes(struct list_head *head);

extern void INIT_HLIST_HEAD(struct hlist_head *h);
extern void INIT_HLIST_NODE(struct hlist_node *h);
extern int hlist_unhashed(const struct hlist_node *h);
extern int hlist_empty(const struct hlist_head *h);
extern void hlist_del(struct hlist_node *n);
extern void hlist_del_init(struct hlist_node *n);
extern void hlist_add_head(struct hlist_node *n, struct hlist_head *h);
extern void hlist_add_before(struct hlist_node *n, struct hlist_node *next);
extern void hlist_add_behind(struct hlist_node *n, struct hlist_node *prev);

/* Entries from nodes, when the entry type is named. */
#define list_entry(ptr, type, member)           container_of(ptr, type, member)
#define list_first_entry(ptr, type, member)     list_entry((ptr)->next, type, member)
#define list_last_entry(ptr, type, member)      list_entry((ptr)->prev, type, member)
#define list_first_entry_or_null(ptr, type, member) \
	(list_empty(ptr) ? NULL : list_first_entry(ptr, type, member))
#define hlist_entry(ptr, type, member)          container_of(ptr, type, member)

/*
 * Entries from nodes, the type taken from the cursor POS (no typeof): the
 * result is a void pointer, assigned to POS by the loops below.
 */
#define __klpm_list_entry(node, pos, member)    __klpm_container_of_ptr(node, pos, member)
#define list_next_entry(pos, member)            __klpm_list_entry((pos)->member.next, pos, member)
#define list_prev_entry(pos, member)            __klpm_list_entry((pos)->member.prev, pos, member)
#define list_entry_is_head(pos, head, member)   (&(pos)->member == (head))
#define list_prepare_entry(pos, head, member)   ((pos) ? (pos) : __klpm_list_entry(head, pos, member))

/* Iteration: plain for loops. */
#define list_for_each(pos, head) \
	for (pos = (head)->next; pos != (head); pos = pos->next)
#define list_for_each_prev(pos, head) \
	for (pos = (head)->prev; pos != (head); pos = pos->prev)
#define list_for_each_safe(pos, n, head) \
	for (pos = (head)->next, n = pos->next; pos != (head); pos = n, n = pos->next)
#define list_for_each_prev_safe(pos, n, head) \
	for (pos = (head)->prev, n = pos->prev; pos != (head); pos = n, n = pos->prev)

#define list_for_each_entry(pos, head, member)                                \
	for (pos = __klpm_list_entry((head)->next, pos, member);              \
	     &(pos)->member != (head);                                         \
	     pos = __klpm_list_entry((pos)->member.next, pos, member))

#define list_for_each_entry_reverse(pos, head, member)                        \
	for (pos = __klpm_list_entry((head)->prev, pos, member);              \
	     &(pos)->member != (head);                                         \
	     pos = __klpm_list_entry((pos)->member.prev, pos, member))

#define list_for_each_entry_continue(pos, head, member)                       \
	for (pos = __klpm_list_entry((pos)->member.next, pos, member);        \
	     &(pos)->member != (head);                                         \
	     pos = __klpm_list_entry((pos)->member.next, pos, member))

#define list_for_each_entry_from(pos, head, member)                           \
	for (; &(pos)->member != (head);                                       \
	     pos = __klpm_list_entry((pos)->member.next, pos, member))

#define list_for_each_entry_safe(pos, n, head, member)                        \
	for (pos = __klpm_list_entry((head)->next, pos, member),              \
	     n = __klpm_list_entry((pos)->member.next, pos, member);          \
	     &(pos)->member != (head);                                         \
	     pos = n, n = __klpm_list_entry((n)->member.next, n, member))

#define list_for_each_entry_safe_reverse(pos, n, head, member)                \
	for (pos = __klpm_list_entry((head)->prev, pos, member),              \
	     n = __klpm_list_entry((pos)->member.prev, pos, member);          \
	     &(pos)->member != (head);                                         \
	     pos = n, n = __klpm_list_entry((n)->member.prev, n, member))

#define hlist_for_each(pos, head) \
	for (pos = (head)->first; pos; pos = pos->next)
#define hlist_for_each_safe(pos, n, head) \
	for (pos = (head)->first; pos && ((n = pos->next), 1); pos = n)

#define __klpm_hlist_entry_safe(node, pos, member) \
	((node) ? __klpm_list_entry(node, pos, member) : NULL)

#define hlist_for_each_entry(pos, head, member)                               \
	for (pos = __klpm_hlist_entry_safe((head)->first, pos, member);       \
	     pos;                                                              \
	     pos = __klpm_hlist_entry_safe((pos)->member.next, pos, member))

#define hlist_for_each_entry_safe(pos, n, head, member)                       \
	for (pos = __klpm_hlist_entry_safe((head)->first, pos, member);       \
	     pos && ((n = (pos)->member.next), 1);                            \
	     pos = __klpm_hlist_entry_safe(n, pos, member))

#endif /* _KLPM_LINUX_LIST_H */
