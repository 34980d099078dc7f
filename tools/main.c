// SPDX-License-Identifier: GPL-2.0
/*
 * gossipadm: the administration tool of gossip.ko.
 *
 *	gossipadm [-j|--json] COMMAND [ARGUMENTS]
 *	gossipadm [-j|--json] -b|--batch FILE
 *
 * This file only parses the global options and dispatches through the
 * command table; each command lives in the file of its group.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gossipadm.h"
#include "json.h"
#include "nl.h"

/* Room for "peer add" with every peer an instance can have. */
#define BATCH_LINE_MAX	65536
#define BATCH_WORDS_MAX	(GOSSIP_PEERS_MAX + 8)

static int cmd_help(int argc, char **argv);

#define CMD(n, r, syn, sum, ...) \
	{ .name = (n), .run = (r), .synopsis = (syn), .summary = (sum), __VA_ARGS__ }

static const struct command commands[] = {
	CMD("show", cmd_show, "show",
	  "print the configuration and the state"),
	CMD("set", cmd_set,
	  "set SETTING VALUE [SETTING VALUE]...\n"
	  "\tSETTING VALUE := mode {push|pull|pushpull} | fanout N |\n"
	  "\t                 interval MS | port PORT | node-id ID |\n"
	  "\t                 max-dgram BYTES | tombstone-ms MS |\n"
	  "\t                 lockstep {off|on} | eager {off|on} |\n"
	  "\t                 label TEXT | store-bytes BYTES |\n"
	  "\t                 reject-rate N | max-skew-ms MS",
	  "change the configuration", .more = set_usage_more),
	CMD("up", cmd_up, "up", "open the socket and start the rounds"),
	CMD("down", cmd_down, "down", "stop the rounds and close the socket"),
	CMD("peer", cmd_peer,
	  "peer add PEER...\n"
	  "peer del PEER...\n"
	  "peer [show|list]\n"
	  "\tPEER := IPV4[:PORT] | [IPV6][:PORT] | IPV6  (PORT defaults to 7946)",
	  "add, remove or list the peers"),
	CMD("key", cmd_key,
	  "key add ID FILE|-\n"
	  "key use ID\n"
	  "key del ID\n"
	  "key [show|list]\n"
	  "key gen\n"
	  "\tID := 1..255; FILE holds the key as 64 hex digits (- is stdin)",
	  "add, choose, remove or list the keys; make a new key"),
	CMD("publish", cmd_publish, "publish KEY VALUE",
	  "publish VALUE under KEY"),
	CMD("delete", cmd_delete, "delete KEY",
	  "delete KEY everywhere (a tombstone spreads)"),
	CMD("get", cmd_get, "get KEY", "print the value of KEY"),
	CMD("dump", cmd_dump, "dump", "list every entry"),
	CMD("stats", cmd_stats, "stats", "print the counters"),
	CMD("save", cmd_save, "save [entries]",
	  "print the settings and peers (and entries) as a batch that -b replays"),
	CMD("monitor", cmd_monitor, "monitor [count N]",
	  "print events as they happen (N of them, if given)"),
	CMD("help", cmd_help, "help [COMMAND]", "print the usage of COMMAND"),
};

/*
 * A command by its name or the start of one name ("sta" is stats), as ip
 * takes them. NULL with *why set when there is none or several.
 */
static const struct command *find_command(const char *name, const char **why)
{
	static const char *names[ARRAY_SIZE(commands)];
	static char msg[320];
	const char *candidates;
	size_t i;
	int hit;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		names[i] = commands[i].name;
	hit = match_word(name, names, ARRAY_SIZE(commands), &candidates);
	if (hit >= 0)
		return &commands[hit];
	if (hit == -2)
		snprintf(msg, sizeof(msg), "command \"%s\" is ambiguous: %s",
			 name, candidates);
	else
		snprintf(msg, sizeof(msg), "unknown command \"%s\"", name);
	*why = msg;
	return NULL;
}

static void print_help(FILE *f)
{
	const struct command *c;

	fputs("usage: " PROG " [-j|--json [-p|--pretty]] [-n|--netns NAME] COMMAND [ARGUMENTS]\n"
	      "       " PROG " [-j|--json [-p|--pretty]] [-n|--netns NAME] [-f|--force] -b|--batch FILE\n"
	      "       " PROG " [-j|--json] -V|--version\n\ncommands:\n", f);
	for (c = commands; c < commands + ARRAY_SIZE(commands); c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fputs("\noptions:\n"
	      "  -j, --json  print JSON (show, peer show, key show, get, dump, stats,\n"
	      "              monitor)\n"
	      "  -p, --pretty  with -j, JSON on several lines, indented\n"
	      "  -b, --batch FILE  run the commands of FILE (- is stdin), one a line,\n"
	      "              words split at blanks, quoted as in sh: '...' as is,\n"
	      "              \"...\" with \\\\ \\\" \\n \\t \\r \\xNN, \\ outside quotes;\n"
	      "              # starts a comment; stop at the first that fails;\n"
	      "              a line \"netns NAME\" sends the next ones to the\n"
	      "              instance of netns NAME\n"
	      "  -f, --force  with -b, go on past a command that failed (exit 1\n"
	      "              at the end); a usage error or a failed netns line\n"
	      "              still stops the batch\n"
	      "  -n, --netns NAME  address the instance of network namespace NAME\n"
	      "              (/run/netns/NAME, as \"ip netns\" names them)\n"
	      "  -V, --version  print the versions of gossipadm, of gossip.ko and\n"
	      "              of the netlink family the kernel has\n"
	      "  -h, --help  print this help\n\n"
	      "Commands and setting names may be abbreviated to any unique start\n"
	      "(sta: stats, set fan 3).\n"
	      "\"" PROG " help COMMAND\" prints the arguments of COMMAND.\n", f);
}

static int cmd_help(int argc, char **argv)
{
	const struct command *c;
	const char *why;

	if (argc == 1) {
		print_help(stdout);
		return EXIT_OK;
	}
	if (argc > 2)
		return usage();
	c = find_command(argv[1], &why);
	if (!c)
		return usage_error("%s", why);
	print_usage(stdout, c);
	printf("\n%s\n", c->summary);
	return EXIT_OK;
}

static bool help_option;
static bool version_option;
static bool force_batch;
static const char *batch_file;
static const char *netns_name;

/* The global options; returns the index of the command word, -1 if bad. */
static int parse_options(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char **value = NULL;

		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			json_output = true;
		} else if (!strcmp(argv[i], "-p") ||
			   !strcmp(argv[i], "--pretty")) {
			json_pretty = true;
		} else if (!strcmp(argv[i], "-V") ||
			   !strcmp(argv[i], "--version")) {
			version_option = true;
		} else if (!strcmp(argv[i], "-h") ||
			   !strcmp(argv[i], "--help")) {
			help_option = true;
		} else if (!strcmp(argv[i], "-f") ||
			   !strcmp(argv[i], "--force")) {
			force_batch = true;
		} else if (!strcmp(argv[i], "-b") ||
			   !strcmp(argv[i], "--batch")) {
			value = &batch_file;
		} else if (!strcmp(argv[i], "-n") ||
			   !strcmp(argv[i], "--netns")) {
			value = &netns_name;
		} else {
			fprintf(stderr, PROG ": unknown option \"%s\"\n",
				argv[i]);
			return -1;
		}
		if (!value)
			continue;
		if (i + 1 == argc) {
			fprintf(stderr, PROG ": option \"%s\" needs an argument\n",
				argv[i]);
			return -1;
		}
		*value = argv[++i];
	}
	return i;
}

static int run(const struct command *c, int argc, char **argv)
{
	int ret;

	cur_cmd = c;
	cur_name = c->name;
	ret = c->run(argc, argv);
	if (fflush(stdout) || ferror(stdout)) {
		errmsg("cannot write the output: %s", strerror(errno));
		ret = EXIT_FAIL;
	}
	return ret;
}

enum {
	SPLIT_TOO_MANY = -1,
	SPLIT_QUOTE = -2,
	SPLIT_ESCAPE = -3,
};

static const char *split_error(int err)
{
	switch (err) {
	case SPLIT_TOO_MANY:
		return "too many words";
	case SPLIT_QUOTE:
		return "a quote is not closed";
	default:
		return "bad escape: expected \\\\, \\\", \\n, \\t, \\r or \\xNN (not \\x00) in \"...\"";
	}
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The escape at *r (after the backslash) inside "...": its byte, or -1. */
static int dquote_escape(const char **r)
{
	const char *p = *r;
	int hi, lo;

	*r = p + 1;
	switch (*p) {
	case '\\':
	case '"':
		return *p;
	case 'n':
		return '\n';
	case 't':
		return '\t';
	case 'r':
		return '\r';
	case 'x':
		hi = hex_digit(p[1]);
		lo = hi < 0 ? -1 : hex_digit(p[2]);
		if (lo < 0 || (!hi && !lo))
			return -1;
		*r = p + 3;
		return hi << 4 | lo;
	default:
		return -1;
	}
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Split @line into @argv, in place, as a shell would, without expansions:
 * blanks separate words; '...' keeps every character as it is; "..." too
 * but for the escapes \\ \" \n \t \r \xNN; outside quotes a backslash
 * keeps the next character. '' is an empty word. A word starting with #
 * ends the line. Returns the number of words or a SPLIT_* error.
 */
static int split_words(char *line, char **argv, int max)
{
	const char *r = line;
	char *w = line;
	int n = 0, c;

	for (;;) {
		while (blank(*r))
			r++;
		if (!*r || *r == '#')
			return n;
		if (n == max)
			return SPLIT_TOO_MANY;
		argv[n++] = w;
		while (*r && !blank(*r)) {
			if (*r == '\'') {
				for (r++; *r && *r != '\''; )
					*w++ = *r++;
				if (!*r++)
					return SPLIT_QUOTE;
			} else if (*r == '"') {
				for (r++; *r && *r != '"'; ) {
					c = *r++;
					if (c == '\\' && (c = dquote_escape(&r)) < 0)
						return SPLIT_ESCAPE;
					*w++ = c;
				}
				if (!*r++)
					return SPLIT_QUOTE;
			} else if (*r == '\\') {
				if (!*++r || *r == '\n')
					return SPLIT_ESCAPE;
				*w++ = *r++;
			} else {
				*w++ = *r++;
			}
		}
		if (*r)
			r++;		/* past the blank: w may be on it */
		*w++ = '\0';
	}
}

/*
 * Address the instance of network namespace @name (/run/netns/NAME, as ip
 * netns names them): the "-n NAME" option and the batch line "netns NAME",
 * so that one process configures or reads a whole cluster, and a test needs
 * no "ip netns exec" (a mount namespace and a sysfs mount) per command.
 * @what prefixes the error messages.
 */
static int enter_netns(const char *what, const char *name)
{
	char path[PATH_MAX];
	int fd, ret = EXIT_OK;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..")) {
		fprintf(stderr, PROG ": %snetns \"%s\" is not a namespace name\n",
			what, name);
		return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, PROG ": %snetns %s: %s\n", what, name,
			strerror(errno));
		ret = EXIT_FAIL;
	}
	if (fd >= 0)
		close(fd);
	gnl_drop_socket();
	return ret;
}

static int batch_netns(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, PROG ": batch: usage: netns NAME\n");
		return EXIT_USAGE;
	}
	return enter_netns("batch: ", argv[1]);
}

/*
 * Run one command per line of @path, on one netlink socket. With --force a
 * command that failed (EXIT_FAIL: a missing key, a refused request) does
 * not stop it, and the batch exits EXIT_FAIL at the end; a usage error, or
 * a "netns" line that failed (what follows would go to the wrong
 * instance), always does.
 */
static int run_batch(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	static char line[BATCH_LINE_MAX], *argv[BATCH_WORDS_MAX];
	const struct command *c;
	const char *why;
	int argc, n = 0, ret = EXIT_OK, failed = EXIT_OK;

	if (!f) {
		fprintf(stderr, PROG ": cannot open \"%s\": %s\n", path,
			strerror(errno));
		return EXIT_FAIL;
	}
	gnl_keep_socket = true;
	while (ret == EXIT_OK && fgets(line, sizeof(line), f)) {
		n++;
		if (!strchr(line, '\n') && !feof(f)) {
			fprintf(stderr, PROG ": batch: line %d is longer than %d bytes\n",
				n, BATCH_LINE_MAX - 2);
			ret = EXIT_USAGE;
			break;
		}
		argc = split_words(line, argv, BATCH_WORDS_MAX);
		if (!argc)
			continue;
		if (argc > 0 && !strcmp(argv[0], "netns")) {
			ret = batch_netns(argc, argv);
			if (ret)
				fprintf(stderr, PROG ": batch: line %d failed\n", n);
			continue;
		}
		c = argc < 0 ? NULL : find_command(argv[0], &why);
		if (!c) {
			fprintf(stderr, PROG ": batch: line %d: %s\n", n,
				argc < 0 ? split_error(argc) : why);
			ret = EXIT_USAGE;
			break;
		}
		ret = run(c, argc, argv);
		if (ret)
			fprintf(stderr, PROG ": batch: line %d failed\n", n);
		if (ret == EXIT_FAIL && force_batch) {
			failed = ret;
			ret = EXIT_OK;
		}
	}
	if (f != stdin)
		fclose(f);
	gnl_drop_socket();	/* nothing left for valgrind to find */
	return ret ? ret : failed;
}

int main(int argc, char **argv)
{
	const struct command *c;
	const char *why;
	int i = parse_options(argc, argv);

	if (i >= 0 && help_option) {
		print_help(stdout);
		return EXIT_OK;
	}
	if (i >= 0 && netns_name) {
		int ret = enter_netns("", netns_name);

		if (ret)
			return ret;
	}
	if (i >= 0 && version_option)
		return print_version();
	if (i >= 0 && force_batch && !batch_file) {
		fprintf(stderr, PROG ": --force goes with --batch\n");
		return EXIT_USAGE;
	}
	if (i >= 0 && batch_file) {
		if (i != argc) {
			fprintf(stderr, PROG ": --batch takes no command\n");
			return EXIT_USAGE;
		}
		return run_batch(batch_file);
	}
	if (i < 0 || i == argc) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	c = find_command(argv[i], &why);
	if (!c) {
		fprintf(stderr, PROG ": %s: try \"" PROG " help\"\n", why);
		return EXIT_USAGE;
	}
	return run(c, argc - i, argv + i);
}
