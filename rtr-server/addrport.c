/*
 * Listening addresses. IPv4 is read by inet_pton (dotted quads only, as
 * the RTR listener always took them); IPv6 by getaddrinfo, which also
 * takes a scope ("[fe80::1%eth0]:323") for link-local listeners.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "addrport.h"

/* A port number: decimal digits, at most 65535. */
static bool
parse_port(const char *s, uint16_t *port)
{
	unsigned long v = 0;

	if (*s == '\0')
		return false;
	for (; *s >= '0' && *s <= '9' && v <= 65535; s++)
		v = v * 10 + (unsigned long)(*s - '0');
	if (*s != '\0' || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

static bool
parse_ipv6(const char *host, uint16_t port, struct sockaddr_storage *ss,
	   char *why, size_t whylen)
{
	struct addrinfo hints, *ai;
	int e;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET6;
	hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	if ((e = getaddrinfo(host, NULL, &hints, &ai)) != 0) {
		snprintf(why, whylen, "%s: %s", host, gai_strerror(e));
		return false;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	return true;
}

bool
addrport_parse(const char *s, struct sockaddr_storage *ss, char *why,
	       size_t whylen)
{
	char host[INET6_ADDRSTRLEN + 32];
	const char *start = s, *end, *portstr;
	bool bracketed = s[0] == '[';
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	uint16_t port;

	memset(ss, 0, sizeof(*ss));
	if (bracketed) {
		start++;
		end = strchr(start, ']');
		portstr = end != NULL && end[1] == ':' ? end + 2 : NULL;
	} else {
		end = strrchr(start, ':');
		portstr = end != NULL ? end + 1 : NULL;
	}
	if (portstr == NULL || end == start ||
	    (size_t)(end - start) >= sizeof(host)) {
		snprintf(why, whylen,
			 "expected ADDR:PORT, e.g. 192.0.2.1:8323 or "
			 "[2001:db8::1]:8323");
		return false;
	}
	if (!parse_port(portstr, &port)) {
		snprintf(why, whylen, "bad port \"%s\" (0 to 65535)", portstr);
		return false;
	}
	memcpy(host, start, (size_t)(end - start));
	host[end - start] = '\0';
	if (bracketed)
		return parse_ipv6(host, port, ss, why, whylen);
	if (strchr(host, ':') != NULL) {
		snprintf(why, whylen,
			 "an IPv6 address goes in brackets, e.g. [::1]:8323");
		return false;
	}
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1) {
		snprintf(why, whylen, "%s: not an IPv4 address", host);
		return false;
	}
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	return true;
}

uint16_t
addrport_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}
