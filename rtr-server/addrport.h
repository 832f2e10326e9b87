/* "ADDR:PORT" as the --rtr-listen and --http-listen options take it. */
#ifndef RTR_ADDRPORT_H
#define RTR_ADDRPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/*
 * Parses "192.0.2.1:323" or "[2001:db8::1]:323" (numeric addresses only,
 * port 0 to 65535) into *ss; false with the reason in why.
 */
bool addrport_parse(const char *s, struct sockaddr_storage *ss, char *why,
		    size_t whylen);

/* The port of an address addrport_parse() made. */
uint16_t addrport_port(const struct sockaddr_storage *ss);

#endif /* RTR_ADDRPORT_H */
