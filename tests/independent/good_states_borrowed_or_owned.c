// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * Clean cumulative patch with a system state: pre_patch borrows the data of
 * a replaced patch or allocates its own, and post_unpatch frees the data
 * unless it is the replaced patch's (a reversed transition over a patch that
 * provided it). A replaced patch that declared the state without data does
 * not make post_unpatch keep what pre_patch allocated.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

#define TCP_TUNING_STATE	7
#define TCP_TUNING_VERSION	2

struct tcp_tuning {
	int saved_limit;
};

static int tcp_challenge_limit = 1000;

static struct klp_patch patch;

static int tuning_pre_patch(struct klp_object *obj)
{
	struct klp_state *state, *prev;

	state = klp_get_state(&patch, TCP_TUNING_STATE);
	if (!state)
		return -EINVAL;

	prev = klp_get_prev_state(TCP_TUNING_STATE);
	if (prev && prev->data) {
		state->data = prev->data;
		return 0;
	}

	state->data = kzalloc(sizeof(struct tcp_tuning), GFP_KERNEL);
	if (!state->data)
		return -ENOMEM;
	return 0;
}

static void tuning_post_patch(struct klp_object *obj)
{
	struct klp_state *state = klp_get_state(&patch, TCP_TUNING_STATE);
	struct tcp_tuning *t;

	if (!state || !state->data)
		return;
	t = state->data;
	if (!klp_get_prev_state(TCP_TUNING_STATE))
		t->saved_limit = tcp_challenge_limit;
	WRITE_ONCE(tcp_challenge_limit, 0x7fffffff);
}

static void tuning_pre_unpatch(struct klp_object *obj)
{
	struct klp_state *state = klp_get_state(&patch, TCP_TUNING_STATE);
	struct tcp_tuning *t;

	if (!state || !state->data)
		return;
	t = state->data;
	WRITE_ONCE(tcp_challenge_limit, t->saved_limit);
}

static void tuning_post_unpatch(struct klp_object *obj)
{
	struct klp_state *state, *prev;

	state = klp_get_state(&patch, TCP_TUNING_STATE);
	if (!state)
		return;
	prev = klp_get_prev_state(TCP_TUNING_STATE);
	if (prev && prev->data == state->data)
		return;		/* reversed: the data is the replaced patch's */
	kfree(state->data);
	state->data = NULL;
}

static int livepatch_tcp_send_challenge_ack(void *sk)
{
	return READ_ONCE(tcp_challenge_limit) > 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "tcp_send_challenge_ack", .new_func = livepatch_tcp_send_challenge_ack },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = tuning_pre_patch,
			.post_patch = tuning_post_patch,
			.pre_unpatch = tuning_pre_unpatch,
			.post_unpatch = tuning_post_unpatch,
		},
	},
	{ }
};

static struct klp_state states[] = {
	{ .id = TCP_TUNING_STATE, .version = TCP_TUNING_VERSION },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.states = states,
	.replace = true,
};

static int __init tuning_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit tuning_exit(void)
{
}

module_init(tuning_init);
module_exit(tuning_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
