/* klplint model header <linux/cred.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_CRED_H
#define _KLPM_LINUX_CRED_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/capability.h>

struct user_namespace;
typedef struct { uid_t val; } kuid_t;
typedef struct { gid_t val; } kgid_t;
struct cred {
	atomic_t usage;
	kuid_t uid, euid, suid, fsuid;
	kgid_t gid, egid, sgid, fsgid;
	unsigned int securebits;
	kernel_cap_t cap_effective;
	struct user_namespace *user_ns;
};
#define GLOBAL_ROOT_UID ((kuid_t){ 0 })
#define GLOBAL_ROOT_GID ((kgid_t){ 0 })
/* get_cred()/prepare_creds() give a reference that put_cred()/abort_creds() drop. */
extern const struct cred *get_current_cred(void);
extern const struct cred *get_cred(const struct cred *cred);
extern void put_cred(const struct cred *cred);
extern struct cred *prepare_creds(void);
extern int commit_creds(struct cred *new);
extern void abort_creds(struct cred *new);
extern const struct cred *current_cred(void);
#define current_uid()	(current_cred()->uid)
#define current_euid()	(current_cred()->euid)
#define current_user_ns() (current_cred()->user_ns)
static inline bool uid_eq(kuid_t a, kuid_t b) { return a.val == b.val; }
static inline bool gid_eq(kgid_t a, kgid_t b) { return a.val == b.val; }
static inline uid_t __kuid_val(kuid_t uid) { return uid.val; }
static inline gid_t __kgid_val(kgid_t gid) { return gid.val; }

#endif /* _KLPM_LINUX_CRED_H */
