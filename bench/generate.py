"""Generated livepatch modules for the scaling runs: variations of one template (callbacks, shadow
variables, states, several objects, four include preambles), written against the 6.1 API so they
parse with Debian's kernel headers as well as with klplint's bundled ones; and, for the real-world-sized
tree, modules that each include a different list of kernel headers, as a distribution's fix files do."""
from __future__ import annotations

import os
import random
from typing import List

PREAMBLES = (
    "#include <linux/module.h>\n#include <linux/kernel.h>\n#include <linux/livepatch.h>\n",
    "#include <linux/module.h>\n#include <linux/kernel.h>\n#include <linux/livepatch.h>\n#include <linux/slab.h>\n",
    "#include <linux/module.h>\n#include <linux/kernel.h>\n#include <linux/livepatch.h>\n#include <linux/slab.h>\n"
    "#include <linux/seq_file.h>\n",
    "#include <linux/module.h>\n#include <linux/kernel.h>\n#include <linux/livepatch.h>\n#include <linux/slab.h>\n"
    "#include <linux/workqueue.h>\n#include <linux/delay.h>\n",
)
# What fix files of a distribution's livepatch tree include after module.h/kernel.h/livepatch.h: the
# headers of the subsystem each fix is for (all in Debian's 6.1 headers).
EXTRA_HEADERS = ("linux/slab.h", "linux/seq_file.h", "linux/workqueue.h", "linux/delay.h", "linux/fs.h",
                 "linux/sched.h", "linux/spinlock.h", "linux/mutex.h", "linux/list.h", "linux/string.h",
                 "linux/uaccess.h", "linux/proc_fs.h", "linux/jiffies.h", "linux/mm.h", "linux/rcupdate.h",
                 "linux/kthread.h", "linux/skbuff.h", "linux/netdevice.h", "linux/file.h", "linux/xattr.h",
                 "net/sock.h", "linux/tcp.h", "linux/blkdev.h", "linux/pagemap.h")
TARGET_MODULES = ("ext4", "xfs", "btrfs", "nfsd", "kvm", "e1000e", "snd_hda_intel", "usbcore")
SYMBOLS = ("cmdline_proc_show", "meminfo_proc_show", "vmstat_show", "uptime_proc_show", "version_proc_show",
           "loadavg_proc_show", "stat_open", "schedstat_show", "do_sys_open", "ksys_read")


def distinct_preambles(count: int, rng: random.Random) -> List[str]:
    """count different include lists: module.h first in most (kernel.h first in the rest), then the
    other two of module.h/kernel.h/livepatch.h, then one to five subsystem headers in any order."""
    seen, out = set(), []
    while len(out) < count:
        base = ["linux/module.h", "linux/kernel.h", "linux/livepatch.h"]
        if rng.random() < 0.25:
            base[0], base[1] = base[1], base[0]
        extra = rng.sample(EXTRA_HEADERS, rng.randint(1, 5))
        if rng.random() < 0.2:                 # livepatch.h after the subsystem headers
            base.remove("linux/livepatch.h")
            extra.append("linux/livepatch.h")
        headers = tuple(base + extra)
        if headers in seen:
            continue
        seen.add(headers)
        out.append("".join(f"#include <{h}>\n" for h in headers))
    return out


def module_source(i: int, rng: random.Random, pre: str = "") -> str:
    pre = pre or PREAMBLES[i % len(PREAMBLES)]
    shadow = "slab.h" in pre and rng.random() < 0.8
    nobjs = rng.randint(1, 3)
    states = rng.random() < 0.3
    replace = rng.random() < 0.5
    out: List[str] = [
        "// SPDX-License-Identifier: GPL-2.0-only",
        f"/* klplint bench: generated livepatch module {i} */",
        "",
        '#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt',
        "",
        pre,
    ]
    if shadow:
        out += [f"#define SV_ID_{i} {0x4000 + i}", "",
                f"struct lp{i}_shadow {{", "\tint count;", "\tunsigned long stamp;", "};", ""]
    funcs_by_obj = []
    used = set()
    for o in range(nobjs):
        names = []
        for k in range(rng.randint(1, 3)):
            sym = rng.choice(SYMBOLS)
            while (o, sym) in used:
                sym = rng.choice(SYMBOLS)
            used.add((o, sym))
            fn = f"lp{i}_o{o}_{sym}"
            names.append((sym, fn))
            out += [f"static int {fn}(void *data, void *arg)", "{"]
            if shadow:
                out += [f"\tstruct lp{i}_shadow *sv;", "",
                        f"\tsv = klp_shadow_get_or_alloc(data, SV_ID_{i}, sizeof(*sv), GFP_ATOMIC, NULL, NULL);",
                        "\tif (!sv)", "\t\treturn -ENOMEM;", "\tsv->count++;"]
            if k % 2:
                out += ["\tif (!arg)", "\t\treturn -EINVAL;"]
            out += ["\treturn 0;", "}", ""]
        funcs_by_obj.append(names)
    cbs_by_obj = []
    for o in range(nobjs):
        cbs = {}
        if rng.random() < 0.7:
            cbs["pre_patch"] = f"lp{i}_o{o}_pre_patch"
            out += [f"static int lp{i}_o{o}_pre_patch(struct klp_object *obj)", "{",
                    '\tpr_info("%s: %s\\n", __func__, obj->name ? obj->name : "vmlinux");', "\treturn 0;", "}", ""]
        if rng.random() < 0.5:
            cbs["post_patch"] = f"lp{i}_o{o}_post_patch"
            out += [f"static void lp{i}_o{o}_post_patch(struct klp_object *obj)", "{",
                    '\tpr_info("%s\\n", __func__);', "}", ""]
        if rng.random() < 0.4:
            cbs["pre_unpatch"] = f"lp{i}_o{o}_pre_unpatch"
            out += [f"static void lp{i}_o{o}_pre_unpatch(struct klp_object *obj)", "{",
                    '\tpr_info("%s\\n", __func__);', "}", ""]
        if shadow and o == 0:
            cbs["post_unpatch"] = f"lp{i}_o{o}_post_unpatch"
            out += [f"static void lp{i}_o{o}_post_unpatch(struct klp_object *obj)", "{",
                    f"\tklp_shadow_free_all(SV_ID_{i}, NULL);", "}", ""]
        cbs_by_obj.append(cbs)
    for o, names in enumerate(funcs_by_obj):
        out.append(f"static struct klp_func lp{i}_funcs{o}[] = {{")
        for sym, fn in names:
            out.append(f'\t{{ .old_name = "{sym}", .new_func = {fn}, }},')
        out += ["\t{ }", "};", ""]
    out.append(f"static struct klp_object lp{i}_objs[] = {{")
    mods = rng.sample(TARGET_MODULES, nobjs)
    for o in range(nobjs):
        out.append("\t{")
        if o:
            out.append(f'\t\t.name = "{mods[o]}",')
        out.append(f"\t\t.funcs = lp{i}_funcs{o},")
        if cbs_by_obj[o]:
            out.append("\t\t.callbacks = {")
            out += [f"\t\t\t.{k} = {v}," for k, v in cbs_by_obj[o].items()]
            out.append("\t\t},")
        out.append("\t},")
    out += ["\t{ }", "};", ""]
    if states:
        out += [f"static struct klp_state lp{i}_states[] = {{",
                f"\t{{ .id = {i % 7 + 1}, .version = {i % 3 + 1}, }},", "\t{ }", "};", ""]
    out += [f"static struct klp_patch lp{i}_patch = {{", "\t.mod = THIS_MODULE,", f"\t.objs = lp{i}_objs,"]
    if states:
        out.append(f"\t.states = lp{i}_states,")
    if replace:
        out.append("\t.replace = true,")
    out += ["};", "",
            f"static int lp{i}_init(void)", "{", f"\treturn klp_enable_patch(&lp{i}_patch);", "}", "",
            f"static void lp{i}_exit(void)", "{", "}", "",
            f"module_init(lp{i}_init);", f"module_exit(lp{i}_exit);",
            'MODULE_LICENSE("GPL");', 'MODULE_INFO(livepatch, "Y");', ""]
    return "\n".join(out)


def generate(folder: str, count: int, seed: int = 6100, distinct_includes: bool = False) -> List[str]:
    """Write count modules into folder (bench_lp_0000.c ...) and return their paths, in order; with
    distinct_includes, each module includes a different list of headers."""
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(seed)
    pres = distinct_preambles(count, random.Random(seed + 1)) if distinct_includes else [""] * count
    paths = []
    for i in range(count):
        path = os.path.join(folder, f"bench_lp_{i:04d}.c")
        with open(path, "w", encoding="utf-8") as f:
            f.write(module_source(i, rng, pres[i]))
        paths.append(path)
    return paths
