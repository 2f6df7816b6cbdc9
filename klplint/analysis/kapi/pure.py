"""Models of pure helpers and no-ops (string length, printing, barriers...)."""
from __future__ import annotations

from klplint.analysis.callctx import CallCtx
from klplint.analysis.kapi.common import ret, unknown
from klplint.analysis.kapi.registry import MODELS, Model, model
from klplint.analysis.values import ZERO
from klplint.ir.flow import NORETURN

# ------------------------------------------------------------------ pure helpers and no-ops

NO_ESCAPE = (
    "printk", "_printk", "vprintk", "printk_deferred", "_printk_deferred", "__warn_printk", "dump_stack",
    "_dev_info", "_dev_err", "_dev_warn", "_dev_notice", "dev_printk", "__dynamic_pr_debug",
    "snprintf", "scnprintf", "vsnprintf", "vscnprintf", "sscanf", "kstrtoint", "kstrtouint", "kstrtol",
    "kstrtoul", "kstrtoull", "kstrtoll", "kstrtobool", "strlen", "strnlen", "memcmp", "strstr", "strchr",
    "strrchr", "msleep", "msleep_interruptible", "ssleep", "usleep_range", "usleep_range_state", "fsleep",
    "udelay", "ndelay", "mdelay", "schedule", "schedule_timeout", "schedule_timeout_interruptible",
    "schedule_timeout_uninterruptible", "schedule_timeout_killable", "io_schedule", "cond_resched",
    "__cond_resched", "might_sleep", "might_resched", "__might_sleep", "might_fault", "yield", "cpu_relax",
    "synchronize_rcu", "synchronize_rcu_expedited", "synchronize_srcu", "synchronize_net", "rcu_barrier",
    "synchronize_rcu_tasks", "wait_for_completion", "wait_for_completion_timeout",
    "wait_for_completion_interruptible", "wait_for_completion_killable", "complete", "complete_all",
    "reinit_completion", "jiffies_to_msecs", "msecs_to_jiffies", "__msecs_to_jiffies", "usecs_to_jiffies",
    "ktime_get", "ktime_get_real", "ktime_get_ns", "ktime_get_boottime", "get_random_u32", "get_random_int",
    "prandom_u32", "num_online_cpus", "smp_processor_id", "raw_smp_processor_id", "in_interrupt",
    "in_atomic", "irqs_disabled", "local_irq_save", "local_irq_restore", "local_irq_disable",
    "local_irq_enable", "preempt_disable", "preempt_enable", "barrier", "__asm__",
    "static_key_enabled", "static_key_count", "atomic_read", "atomic_set", "atomic_inc", "atomic_dec",
    "atomic_add", "atomic_sub", "atomic_inc_return", "atomic_dec_return", "atomic_dec_and_test",
    "atomic_inc_not_zero", "atomic_long_read", "atomic64_read", "refcount_read", "test_bit", "set_bit",
    "clear_bit", "test_and_set_bit", "test_and_clear_bit", "__builtin_memcpy", "seq_printf", "seq_puts",
    "seq_putc", "seq_write", "trace_printk", "__trace_printk", "__trace_bprintk", "__trace_puts",
    "get_current", "capable", "ns_capable", "add_taint", "pr_cont", "print_hex_dump",
    "klp_update_patch_state", "klp_patch_pending", "module_name", "module_refcount", "module_is_live",
    "wake_up_process", "kthread_should_stop", "kthread_should_park", "kthread_parkme", "signal_pending",
    "ERR_PTR_placeholder", "kref_read", "mutex_is_locked", "spin_is_locked", "lockdep_assert_held",
    "list_empty", "list_empty_careful", "list_is_singular", "list_is_last", "list_is_head", "list_is_first",
    "hlist_empty", "hlist_unhashed", "work_pending", "delayed_work_pending", "timer_pending", "jiffies",
    "is_module_address", "is_module_text_address", "kernel_text_address", "memchr", "strspn", "strcspn",
    "strcasecmp", "strncasecmp", "ktime_get_real_seconds", "get_seconds", "ktime_get_seconds",
)


def _no_escape(cx: CallCtx):
    return unknown(cx)


SLEEPERS = {
    "msleep", "msleep_interruptible", "ssleep", "usleep_range", "usleep_range_state", "fsleep", "schedule",
    "schedule_timeout", "schedule_timeout_interruptible", "schedule_timeout_uninterruptible",
    "schedule_timeout_killable", "io_schedule", "cond_resched", "__cond_resched", "might_sleep",
    "might_resched", "__might_sleep", "might_fault", "yield", "synchronize_rcu", "synchronize_rcu_expedited",
    "synchronize_srcu", "synchronize_net", "rcu_barrier", "synchronize_rcu_tasks", "wait_for_completion",
    "wait_for_completion_timeout", "wait_for_completion_interruptible", "wait_for_completion_killable",
    "kthread_parkme",
}

for _n in NO_ESCAPE:
    MODELS.setdefault(_n, Model((_n,), _no_escape, sleeps=_n in SLEEPERS))

# Calls that only sleep (their pointer arguments escape like any unknown call's).
for _n in ("copy_from_user", "copy_to_user", "_copy_from_user", "_copy_to_user", "strncpy_from_user",
           "wait_event_interruptible", "wait_event", "wait_event_timeout", "wait_event_killable",
           "prepare_to_wait_event", "down_interruptible", "kernel_read", "vfs_read", "vfs_write",
           "call_usermodehelper", "usermodehelper_read_trylock", "device_register", "device_unregister",
           "class_register", "class_unregister", "cpus_read_lock", "get_online_cpus", "stop_machine",
           "flush_scheduled_work", "rcu_barrier_tasks", "filp_close"):
    MODELS.setdefault(_n, Model((_n,), lambda cx: unknown(cx, escape=range(len(cx.args))), sleeps=True))


@model("__warn_on", "__warn_on_once", "__warn", "__warn_once", "__builtin_expect",
       "__builtin_expect_with_probability", "likely", "unlikely")
def _passthrough(cx: CallCtx):
    v = cx.arg(0)
    return ret(cx, v if v is not None else ZERO)


@model("__builtin_constant_p")
def _constant_p(cx: CallCtx):
    return ret(cx, ZERO)


@model(*sorted(NORETURN))
def _noreturn(cx: CallCtx):
    return cx.ex.crash(cx.s)
