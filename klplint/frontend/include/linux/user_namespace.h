/* klplint model header <linux/user_namespace.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_USER_NAMESPACE_H
#define _KLPM_LINUX_USER_NAMESPACE_H

#include <linux/types.h>
#include <linux/kref.h>

struct user_namespace {
	struct user_namespace *parent;
	int level;
	unsigned int flags;
	struct kref kref;
};

extern struct user_namespace init_user_ns;

extern struct user_namespace *get_user_ns(struct user_namespace *ns);
extern void put_user_ns(struct user_namespace *ns);
extern bool current_in_userns(const struct user_namespace *target_ns);
extern bool in_userns(const struct user_namespace *ancestor, const struct user_namespace *child);

#endif /* _KLPM_LINUX_USER_NAMESPACE_H */
