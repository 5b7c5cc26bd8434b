/* preload_exports.c - what the preloaded libraries export, read once per
 * process.
 *
 * The exec planner leaves LD_PRELOAD out for a guest program that cannot
 * reach its preloads (cr_reach.h); that needs each preload's export set.
 * A process keeps the sets of the few libraries it has seen (a guest shell
 * fills them at its warm-up exec plan, so its forked children find them
 * ready).  Slots are claimed and published atomically: no lock, usable
 * between fork and exec; a slot another thread is filling counts as not
 * known (the preloads then stay).
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <fcntl.h>
#include <limits.h>
#include <string.h>

#include "cr_reach.h"
#include "cr_sys.h"
#include "state.h"

#define CRP_EXPORT_SLOTS 4
/* A library's dynamic string table must fit (libcrossroot's and
 * libfakeroot's are some 4 KiB). */
#define CRP_EXPORT_STRTAB 32768

enum { SLOT_EMPTY, SLOT_FILLING, SLOT_READY, SLOT_FAILED };

static struct crp_export_slot {
	int state;
	char path[PATH_MAX];
	struct cr_symset set;
} crp_slots[CRP_EXPORT_SLOTS];

/* Read path's exports into slot s (claimed, SLOT_FILLING): SLOT_READY or
 * SLOT_FAILED. */
static int crp_fill(struct crp_export_slot *s, const char *path)
{
	char strtab[CRP_EXPORT_STRTAB];
	int fd = cr_sys_openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return SLOT_FAILED;
	struct cr_reader r = { cr_fd_pread, &fd };
	int err = cr_symset_reach(&s->set, &r, strtab, sizeof strtab);
	cr_sys_close(fd);
	return err == 0 ? SLOT_READY : SLOT_FAILED;
}

const struct cr_symset *crp_preload_exports(void *ud, const char *path)
{
	(void)ud;
	size_t len = strlen(path);
	if (len >= PATH_MAX)
		return NULL;
	for (size_t i = 0; i < CRP_EXPORT_SLOTS; i++) {
		struct crp_export_slot *s = &crp_slots[i];
		int st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
		if (st == SLOT_EMPTY) {
			if (!__atomic_compare_exchange_n(&s->state, &st, SLOT_FILLING, 0,
			                                 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
				/* Another thread claimed it: st is its state now. */
				if (st != SLOT_READY && st != SLOT_FAILED)
					continue;
			} else {
				memcpy(s->path, path, len + 1);
				st = crp_fill(s, path);
				__atomic_store_n(&s->state, st, __ATOMIC_RELEASE);
				return st == SLOT_READY ? &s->set : NULL;
			}
		}
		if (st == SLOT_FILLING)
			continue;
		if (strcmp(s->path, path) == 0)
			return st == SLOT_READY ? &s->set : NULL;
	}
	return NULL;
}
