// SPDX-License-Identifier: GPL-2.0
/*
 * scripts/tcg-probe.c - flip a static key of the guest kernel, fast.
 *
 *   tcg-probe SECONDS [plain]
 *
 * Opens a UDP socket, makes it an encapsulation socket (UDP_ENCAP: the
 * kernel enables udp_encap_needed_key, patching its branches when it was
 * off) and closes it (udp_destroy_sock() disables the key again when it was
 * the last one, at one of the branches it patches), until SECONDS have
 * passed. With "plain" the socket stays a plain one: only the close path
 * runs, through the branch another process is patching. Prints how many
 * sockets it closed. Used by scripts/tcg-probe.sh.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef UDP_ENCAP
#define UDP_ENCAP 100
#endif
#define ENCAP_ESPINUDP 2

int main(int argc, char **argv)
{
	int plain = argc > 2, type = ENCAP_ESPINUDP;
	long secs, n = 0;
	time_t end;

	if (argc < 2 || (secs = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: %s SECONDS [plain]\n", argv[0]);
		return 2;
	}
	end = time(NULL) + secs;
	while (time(NULL) < end) {
		int s = socket(AF_INET, SOCK_DGRAM, 0);

		if (s < 0) {
			perror("socket");
			return 1;
		}
		if (!plain && setsockopt(s, IPPROTO_UDP, UDP_ENCAP, &type,
					 sizeof(type))) {
			perror("setsockopt UDP_ENCAP");
			return 1;
		}
		close(s);
		n++;
	}
	printf("%ld sockets closed\n", n);
	return 0;
}
