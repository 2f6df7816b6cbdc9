/* klplint model header <linux/sysctl.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SYSCTL_H
#define _KLPM_LINUX_SYSCTL_H

#include <linux/types.h>

struct ctl_table;
typedef int proc_handler(struct ctl_table *ctl, int write, void *buffer, size_t *lenp, loff_t *ppos);
struct ctl_table {
	const char *procname;
	void *data;
	int maxlen;
	umode_t mode;
	proc_handler *proc_handler;
	void *extra1;
	void *extra2;
};
struct ctl_table_header;
extern struct ctl_table_header *register_sysctl(const char *path, struct ctl_table *table);
extern void unregister_sysctl_table(struct ctl_table_header *table);
extern int proc_dointvec(struct ctl_table *table, int write, void *buffer, size_t *lenp, loff_t *ppos);
extern int proc_dointvec_minmax(struct ctl_table *table, int write, void *buffer, size_t *lenp, loff_t *ppos);

#endif /* _KLPM_LINUX_SYSCTL_H */
