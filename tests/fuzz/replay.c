/* replay.c - plain (non-libFuzzer) driver for the fuzz targets: linked with
 * one fuzz_<target>.c (FUZZ_TARGET names it), it feeds every file of
 * tests/fuzz/corpus/<target>/ and tests/fuzz/regressions/<target>/ (the
 * crash inputs the fuzzers once found) to LLVMFuzzerTestOneInput, so make
 * check keeps every past crash fixed.  A failed invariant aborts.  Files
 * named on the command line are replayed instead.  Exit 0 when every input
 * ran, 1 when a directory cannot be read or has nothing to replay.
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_TARGET
#error "FUZZ_TARGET must name the target (resolve, identify, reach)"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *p)
{
	FILE *f = fopen(p, "rb");
	uint8_t *buf;
	size_t n, cap = 1 << 16;

	if (!f) {
		perror(p);
		return -1;
	}
	buf = malloc(cap);
	if (!buf) {
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, cap, f);
	fclose(f);
	/* An exactly sized copy, so ASan builds catch reads past the end. */
	{
		uint8_t *exact = malloc(n ? n : 1);
		if (!exact) {
			free(buf);
			return -1;
		}
		memcpy(exact, buf, n);
		free(buf);
		LLVMFuzzerTestOneInput(exact, n);
		free(exact);
	}
	return 0;
}

static int replay_dir(const char *dir, int *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[PATH_MAX];

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "README") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		if (replay_file(p) != 0) {
			closedir(d);
			return -1;
		}
		++*count;
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	const char *src = getenv("top_srcdir");
	char dir[PATH_MAX];
	int i, count = 0;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (replay_file(argv[i]) != 0)
				return 1;
		printf("replayed %d input(s) for %s\n", argc - 1, FUZZ_TARGET);
		return 0;
	}
	if (!src)
		src = ".";
	snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", src, FUZZ_TARGET);
	if (replay_dir(dir, &count) != 0) {
		fprintf(stderr, "cannot read %s\n", dir);
		return 1;
	}
	snprintf(dir, sizeof dir, "%s/tests/fuzz/regressions/%s", src, FUZZ_TARGET);
	if (replay_dir(dir, &count) != 0) {
		fprintf(stderr, "cannot read %s\n", dir);
		return 1;
	}
	if (count == 0) {
		fprintf(stderr, "nothing to replay for %s\n", FUZZ_TARGET);
		return 1;
	}
	printf("replayed %d input(s) for %s\n", count, FUZZ_TARGET);
	return 0;
}
