// SPDX-License-Identifier: GPL-2.0
/*
 * The plain driver of the wire fuzz target, with no libFuzzer: runs every
 * file given (a directory: every file in it, in name order) through
 * LLVMFuzzerTestOneInput() and prints, per file, the parser's verdict and
 * the path:
 *
 *   ok selftests/fuzz/corpus/ok-push-one.bin
 *   length selftests/fuzz/corpus/err-length-count.bin
 *
 * A broken invariant abort()s (exit status 134), the file it broke on being
 * the last one printed; 0 once every file ran.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "wire_fuzz.h"

static const char *const verdicts[] = {
	[GOSSIP_WIRE_OK] = "ok",
	[GOSSIP_WIRE_ERR_SHORT] = "short",
	[GOSSIP_WIRE_ERR_MAGIC] = "magic",
	[GOSSIP_WIRE_ERR_VERSION] = "version",
	[GOSSIP_WIRE_ERR_TYPE] = "type",
	[GOSSIP_WIRE_ERR_LENGTH] = "length",
	[GOSSIP_WIRE_ERR_ENTRY] = "entry",
};

static int run_file(const char *path)
{
	enum gossip_wire_err err;
	size_t len = 0, got;
	u8 *buf, *copy;
	FILE *f;

	f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	buf = malloc(65536 + 1);
	if (!buf)
		abort();
	while ((got = fread(buf + len, 1, 65536 + 1 - len, f)) > 0)
		len += got;
	fclose(f);
	/* An exact-size copy, as libFuzzer passes it: reads past it are seen. */
	copy = malloc(len ? len : 1);
	if (!copy)
		abort();
	memcpy(copy, buf, len);
	free(buf);
	/* The verdict first: if the target aborts, the last line names it. */
	err = gossip_wire_parse(copy, len, &(struct gossip_wire_msg){ 0 });
	printf("%s %s\n", verdicts[err], path);
	fflush(stdout);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir)
{
	char **names = NULL, path[4096];
	size_t n = 0, i;
	struct dirent *d;
	int bad = 0;
	DIR *dp;

	dp = opendir(dir);
	if (!dp) {
		perror(dir);
		return 1;
	}
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		if (!names)
			abort();
		names[n] = strdup(d->d_name);
		if (!names[n])
			abort();
		n++;
	}
	closedir(dp);
	qsort(names, n, sizeof(*names), cmp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		bad |= run_file(path);
		free(names[i]);
	}
	free(names);
	return bad;
}

int main(int argc, char **argv)
{
	struct stat st;
	int i, bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st)) {
			perror(argv[i]);
			bad = 1;
		} else {
			bad |= S_ISDIR(st.st_mode) ? run_dir(argv[i]) :
						     run_file(argv[i]);
		}
	}
	return bad;
}
