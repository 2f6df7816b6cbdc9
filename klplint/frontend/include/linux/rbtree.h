/* klplint model header <linux/rbtree.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_RBTREE_H
#define _KLPM_LINUX_RBTREE_H

#include <linux/types.h>
#include <linux/container_of.h>

struct rb_node { unsigned long __rb_parent_color; struct rb_node *rb_right; struct rb_node *rb_left; };
struct rb_root { struct rb_node *rb_node; };
#define RB_ROOT (struct rb_root) { NULL, }
extern void rb_insert_color(struct rb_node *node, struct rb_root *root);
extern void rb_erase(struct rb_node *node, struct rb_root *root);
extern struct rb_node *rb_first(const struct rb_root *root);
extern struct rb_node *rb_next(const struct rb_node *node);
#define rb_entry(ptr, type, member) container_of(ptr, type, member)

#endif /* _KLPM_LINUX_RBTREE_H */
