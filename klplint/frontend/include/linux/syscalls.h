/* klplint model header <linux/syscalls.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SYSCALLS_H
#define _KLPM_LINUX_SYSCALLS_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/uaccess.h>

struct pt_regs;

/*
 * SYSCALL_DEFINEn(name, type1, arg1, ...) defines sys_<name>(type1 arg1, ...),
 * the form a replacement for a system call is written in.
 */
#define __KLPM_MAP0(m, ...)
#define __KLPM_MAP1(m, t, a, ...) m(t, a)
#define __KLPM_MAP2(m, t, a, ...) m(t, a), __KLPM_MAP1(m, __VA_ARGS__)
#define __KLPM_MAP3(m, t, a, ...) m(t, a), __KLPM_MAP2(m, __VA_ARGS__)
#define __KLPM_MAP4(m, t, a, ...) m(t, a), __KLPM_MAP3(m, __VA_ARGS__)
#define __KLPM_MAP5(m, t, a, ...) m(t, a), __KLPM_MAP4(m, __VA_ARGS__)
#define __KLPM_MAP6(m, t, a, ...) m(t, a), __KLPM_MAP5(m, __VA_ARGS__)
#define __KLPM_MAP(n, ...) __KLPM_MAP##n(__VA_ARGS__)
#define __KLPM_DECL(t, a) t a
#define __KLPM_SYSCALL(n, name, ...) long sys##name(__KLPM_MAP(n, __KLPM_DECL, __VA_ARGS__))
#define SYSCALL_DEFINE0(name) long sys_##name(void)
#define SYSCALL_DEFINE1(name, ...) __KLPM_SYSCALL(1, _##name, __VA_ARGS__)
#define SYSCALL_DEFINE2(name, ...) __KLPM_SYSCALL(2, _##name, __VA_ARGS__)
#define SYSCALL_DEFINE3(name, ...) __KLPM_SYSCALL(3, _##name, __VA_ARGS__)
#define SYSCALL_DEFINE4(name, ...) __KLPM_SYSCALL(4, _##name, __VA_ARGS__)
#define SYSCALL_DEFINE5(name, ...) __KLPM_SYSCALL(5, _##name, __VA_ARGS__)
#define SYSCALL_DEFINE6(name, ...) __KLPM_SYSCALL(6, _##name, __VA_ARGS__)

#endif /* _KLPM_LINUX_SYSCALLS_H */
