/* klplint model header <linux/moduleparam.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_MODULEPARAM_H
#define _KLPM_LINUX_MODULEPARAM_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/init.h>
#include <linux/stringify.h>

/*
 * One .modinfo entry: a file-scope, uniquely named string "tag=info".
 * MODULE_INFO(tag, info) (in <linux/module.h>) is __MODULE_INFO(tag, tag, info).
 */
#define __MODULE_INFO(tag, name, info)                                        \
	static const char __UNIQUE_ID(name)[]                                 \
	__attribute__((section(".modinfo"), used, aligned(1))) = #tag "=" info

#define MODULE_PARM_DESC(_parm, desc) __MODULE_INFO(parm, _parm, #_parm ":" desc)
#define __MODULE_PARM_TYPE(name, _type) __MODULE_INFO(parmtype, name##type, #name ":" _type)

#define MAX_PARAM_PREFIX_LEN (64 - sizeof(unsigned long))

struct kernel_param;
struct module;

struct kernel_param_ops {
	unsigned int flags;
	int (*set)(const char *val, const struct kernel_param *kp);
	int (*get)(char *buffer, const struct kernel_param *kp);
	void (*free)(void *arg);
};

struct kparam_string {
	unsigned int maxlen;
	char *string;
};

struct kparam_array {
	unsigned int max;
	unsigned int elemsize;
	unsigned int *num;
	const struct kernel_param_ops *ops;
	void *elem;
};

/* A parameter: exactly one of arg, str, arr is set. */
struct kernel_param {
	const char *name;
	struct module *mod;
	const struct kernel_param_ops *ops;
	unsigned short perm;
	signed char level;
	unsigned char flags;
	void *arg;
	const struct kparam_string *str;
	const struct kparam_array *arr;
};

#define __klpm_param_attrs __attribute__((section("__param"), used, aligned(sizeof(void *))))

/*
 * module_param(name, type, perm): a static struct kernel_param named
 * __param_<name> in section __param, pointing at the variable, with
 * ops = &param_ops_<type>; plus the parmtype .modinfo entry.
 */
#define module_param_cb(_name, _ops, _arg, _perm)                            \
	static const struct kernel_param __param_##_name __klpm_param_attrs = \
	{ .name = #_name, .ops = (_ops), .perm = (_perm), .level = -1,         \
	  .arg = (void *)(_arg) }

#define module_param_named(_name, _value, _type, _perm)                       \
	module_param_cb(_name, &param_ops_##_type, &(_value), _perm);         \
	__MODULE_PARM_TYPE(_name, #_type)

#define module_param(_name, _type, _perm) module_param_named(_name, _name, _type, _perm)
#define module_param_unsafe(_name, _type, _perm) module_param(_name, _type, _perm)
#define module_param_hw(_name, _type, _hwtype, _perm) module_param(_name, _type, _perm)

#define module_param_string(_name, _string, _len, _perm)                      \
	static const struct kparam_string __param_string_##_name =            \
	{ .maxlen = (_len), .string = (_string) };                             \
	static const struct kernel_param __param_##_name __klpm_param_attrs = \
	{ .name = #_name, .ops = &param_ops_string, .perm = (_perm),           \
	  .level = -1, .str = &__param_string_##_name };                       \
	__MODULE_PARM_TYPE(_name, "string")

#define module_param_array_named(_name, _array, _type, _nump, _perm)          \
	static const struct kparam_array __param_arr_##_name =                \
	{ .max = sizeof(_array) / sizeof((_array)[0]), .num = (_nump),        \
	  .ops = &param_ops_##_type, .elemsize = sizeof((_array)[0]),         \
	  .elem = (_array) };                                                  \
	static const struct kernel_param __param_##_name __klpm_param_attrs = \
	{ .name = #_name, .ops = &param_array_ops, .perm = (_perm),            \
	  .level = -1, .arr = &__param_arr_##_name };                          \
	__MODULE_PARM_TYPE(_name, "array of " #_type)

#define module_param_array(_name, _type, _nump, _perm) \
	module_param_array_named(_name, _name, _type, _nump, _perm)

extern const struct kernel_param_ops param_ops_byte;
extern const struct kernel_param_ops param_ops_short;
extern const struct kernel_param_ops param_ops_ushort;
extern const struct kernel_param_ops param_ops_int;
extern const struct kernel_param_ops param_ops_uint;
extern const struct kernel_param_ops param_ops_long;
extern const struct kernel_param_ops param_ops_ulong;
extern const struct kernel_param_ops param_ops_ullong;
extern const struct kernel_param_ops param_ops_hexint;
extern const struct kernel_param_ops param_ops_charp;
extern const struct kernel_param_ops param_ops_bool;
extern const struct kernel_param_ops param_ops_bool_enable_only;
extern const struct kernel_param_ops param_ops_invbool;
extern const struct kernel_param_ops param_ops_string;
extern const struct kernel_param_ops param_array_ops;

extern int param_set_int(const char *val, const struct kernel_param *kp);
extern int param_get_int(char *buffer, const struct kernel_param *kp);
extern int param_set_uint(const char *val, const struct kernel_param *kp);
extern int param_get_uint(char *buffer, const struct kernel_param *kp);
extern int param_set_long(const char *val, const struct kernel_param *kp);
extern int param_get_long(char *buffer, const struct kernel_param *kp);
extern int param_set_ulong(const char *val, const struct kernel_param *kp);
extern int param_get_ulong(char *buffer, const struct kernel_param *kp);
extern int param_set_bool(const char *val, const struct kernel_param *kp);
extern int param_get_bool(char *buffer, const struct kernel_param *kp);
extern int param_set_charp(const char *val, const struct kernel_param *kp);
extern int param_get_charp(char *buffer, const struct kernel_param *kp);
extern void param_free_charp(void *arg);

#endif /* _KLPM_LINUX_MODULEPARAM_H */
