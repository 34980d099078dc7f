// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim for testing gossipadm without gossip.ko: a generic
 * netlink socket becomes a SOCK_SEQPACKET connection to the fake kernel
 * listening on $FAKENL_SOCK (fakekernel.py). Netlink socket options are
 * forwarded to it as messages of type FAKENL_SOCKOPT, so that it knows
 * about extended acks and multicast groups.
 *
 * With $FAKENL_SYSFS set, files under /sys/module/gossip/ are opened
 * under that directory instead (FAKENL_SYSFS/version), so that a test
 * says whether the module is loaded, and which version it has.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/netlink.h>

#define FAKENL_SOCKOPT	0x7ff0
#define SYS_MODULE	"/sys/module/gossip/"
#define MAX_FD		1024

static char fake[MAX_FD];

static int is_fake(int fd)
{
	return fd >= 0 && fd < MAX_FD && fake[fd];
}

#define REAL(ret, name, ...)						\
	static ret (*real_##name)(__VA_ARGS__);				\
	if (!real_##name)						\
		real_##name = dlsym(RTLD_NEXT, #name)

int socket(int domain, int type, int protocol)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *path = getenv("FAKENL_SOCK");
	int fd;

	REAL(int, socket, int, int, int);
	if (domain != AF_NETLINK || protocol != NETLINK_GENERIC || !path)
		return real_socket(domain, type, protocol);
	fd = real_socket(AF_UNIX, SOCK_SEQPACKET | (type & SOCK_CLOEXEC), 0);
	if (fd < 0 || fd >= MAX_FD)
		return -1;
	strncpy(sun.sun_path, path, sizeof(sun.sun_path) - 1);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		close(fd);
		return -1;
	}
	fake[fd] = 1;
	return fd;
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	REAL(int, bind, int, const struct sockaddr *, socklen_t);
	return is_fake(fd) ? 0 : real_bind(fd, addr, len);
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_pid = getpid() };

	REAL(int, getsockname, int, struct sockaddr *, socklen_t *);
	if (!is_fake(fd))
		return real_getsockname(fd, addr, len);
	memcpy(addr, &nl, *len < sizeof(nl) ? *len : sizeof(nl));
	*len = sizeof(nl);
	return 0;
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	struct {
		struct nlmsghdr nlh;
		int name;
		int value;
	} m = {
		.nlh = { .nlmsg_len = sizeof(m), .nlmsg_type = FAKENL_SOCKOPT },
		.name = name,
	};

	REAL(int, setsockopt, int, int, int, const void *, socklen_t);
	if (!is_fake(fd) || level != SOL_NETLINK)
		return real_setsockopt(fd, level, name, val, len);
	memcpy(&m.value, val, len < sizeof(int) ? len : sizeof(int));
	return send(fd, &m, sizeof(m), 0) == sizeof(m) ? 0 : -1;
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	ssize_t n;

	REAL(ssize_t, recvmsg, int, struct msghdr *, int);
	n = real_recvmsg(fd, msg, flags);
	if (n >= 0 && is_fake(fd) && msg->msg_name) {
		memcpy(msg->msg_name, &nl, sizeof(nl));
		msg->msg_namelen = sizeof(nl);
	}
	return n;
}

/* open() and open64(): a path under /sys/module/gossip/ moves. */
#define FAKE_OPEN(name)							\
int name(const char *path, int flags, ...)				\
{									\
	const char *dir = getenv("FAKENL_SYSFS");			\
	char moved[4096];						\
	mode_t mode = 0;						\
	va_list ap;							\
									\
	REAL(int, name, const char *, int, ...);			\
	if (flags & (O_CREAT | O_TMPFILE)) {				\
		va_start(ap, flags);					\
		mode = va_arg(ap, mode_t);				\
		va_end(ap);						\
	}								\
	if (dir && !strncmp(path, SYS_MODULE, strlen(SYS_MODULE))) {	\
		snprintf(moved, sizeof(moved), "%s/%s", dir,		\
			 path + strlen(SYS_MODULE));			\
		path = moved;						\
	}								\
	return real_##name(path, flags, mode);				\
}

FAKE_OPEN(open)
FAKE_OPEN(open64)
