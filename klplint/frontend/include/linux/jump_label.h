/* klplint model header <linux/jump_label.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_JUMP_LABEL_H
#define _KLPM_LINUX_JUMP_LABEL_H

#include <linux/types.h>
#include <linux/compiler.h>

/*
 * Static keys.  The kernel patches a jump into the code; for the analysis a
 * key is a flag read by an opaque call, so both branches of a test stay
 * possible and the key's address never escapes into anything else.
 */
struct static_key {
	int enabled;
};
struct static_key_true {
	struct static_key key;
};
struct static_key_false {
	struct static_key key;
};

#define STATIC_KEY_INIT_TRUE	{ .enabled = 1 }
#define STATIC_KEY_INIT_FALSE	{ .enabled = 0 }
#define STATIC_KEY_TRUE_INIT	{ .key = STATIC_KEY_INIT_TRUE }
#define STATIC_KEY_FALSE_INIT	{ .key = STATIC_KEY_INIT_FALSE }

#define DEFINE_STATIC_KEY_TRUE(name)	struct static_key_true name = STATIC_KEY_TRUE_INIT
#define DEFINE_STATIC_KEY_FALSE(name)	struct static_key_false name = STATIC_KEY_FALSE_INIT
#define DECLARE_STATIC_KEY_TRUE(name)	extern struct static_key_true name
#define DECLARE_STATIC_KEY_FALSE(name)	extern struct static_key_false name
#define DEFINE_STATIC_KEY_FALSE_RO(name) DEFINE_STATIC_KEY_FALSE(name)
#define DEFINE_STATIC_KEY_TRUE_RO(name)	DEFINE_STATIC_KEY_TRUE(name)

extern bool static_key_enabled_model(const struct static_key *key);
extern void static_key_enable(struct static_key *key);
extern void static_key_disable(struct static_key *key);
extern void static_key_slow_inc(struct static_key *key);
extern void static_key_slow_dec(struct static_key *key);

#define static_key_enabled(x)		static_key_enabled_model(&(x)->key)
#define static_branch_likely(x)		likely(static_key_enabled_model(&(x)->key))
#define static_branch_unlikely(x)	unlikely(static_key_enabled_model(&(x)->key))
#define static_branch_enable(x)		static_key_enable(&(x)->key)
#define static_branch_disable(x)	static_key_disable(&(x)->key)
#define static_branch_inc(x)		static_key_slow_inc(&(x)->key)
#define static_branch_dec(x)		static_key_slow_dec(&(x)->key)

#endif /* _KLPM_LINUX_JUMP_LABEL_H */
