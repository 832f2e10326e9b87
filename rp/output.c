/*
 * The output formats. Each writer walks the finished set once, in the order
 * vrpset_finish() left it, and writes as it goes through stdio: a table of
 * 800,000 VRPs is never built a second time in memory.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/evp.h>

#include "output.h"

/* "<address>/128": the longest prefix we print. */
#define OUTPUT_PREFIX_LEN (INET6_ADDRSTRLEN + sizeof("/128"))

/* "2026-06-01T00:00:00Z", RFC 3339 in UTC. */
#define OUTPUT_TIME_LEN sizeof("YYYY-MM-DDTHH:MM:SSZ")

static const struct {
	const char *name;
	enum output_format fmt;
} output_formats[] = {
    {"csv", OUTPUT_CSV},
    {"json", OUTPUT_JSON},
    {"openbgpd", OUTPUT_OPENBGPD},
    {"bird", OUTPUT_BIRD},
};

bool
output_format_parse(const char *name, enum output_format *fmt)
{
	size_t i;

	for (i = 0; i < sizeof(output_formats) / sizeof(output_formats[0]);
	     i++) {
		if (strcmp(name, output_formats[i].name) == 0) {
			*fmt = output_formats[i].fmt;
			return true;
		}
	}
	return false;
}

/*
 * The TA's name, or NULL (errno EINVAL) for an index the set does not know:
 * the writers read a public struct, so they check rather than trust it.
 */
static const char *
output_ta(const struct vrpset *set, uint8_t ta)
{
	if (ta >= set->num_tas) {
		errno = EINVAL;
		return NULL;
	}
	return set->tas[ta];
}

/* "192.0.2.0/24"; IPv6 in RFC 5952 form, which inet_ntop(3) gives. */
static bool
output_prefix(const struct vrp *vrp, char *buf, size_t len)
{
	struct in_addr in4;
	struct in6_addr in6;
	size_t n;

	switch (vrp->afi) {
	case 4:
		memcpy(&in4, vrp->addr, sizeof(in4));
		if (inet_ntop(AF_INET, &in4, buf, len) == NULL)
			return false;
		break;
	case 6:
		memcpy(&in6, vrp->addr, sizeof(in6));
		if (inet_ntop(AF_INET6, &in6, buf, len) == NULL)
			return false;
		break;
	default:
		errno = EINVAL;
		return false;
	}
	n = strlen(buf);
	if (snprintf(buf + n, len - n, "/%u", vrp->prefixlen) >=
	    (int)(len - n)) {
		errno = ENOSPC;
		return false;
	}
	return true;
}

static bool
output_time(time_t t, char buf[OUTPUT_TIME_LEN])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		return false;
	if (strftime(buf, OUTPUT_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		errno = EOVERFLOW;
		return false;
	}
	return true;
}

/*
 * The configuration formats carry no TA, so VRPs that differ only in their
 * TA would print as the same line; the second adds nothing for the router.
 */
static bool
output_same_route(const struct vrp *a, const struct vrp *b)
{
	return a->afi == b->afi && a->prefixlen == b->prefixlen &&
	    a->maxlen == b->maxlen && a->asn == b->asn &&
	    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

static bool
output_csv(FILE *fp, const struct vrpset *set)
{
	char prefix[OUTPUT_PREFIX_LEN];
	const struct vrp *vrp;
	const char *ta;
	size_t i;

	if (fputs("ASN,IP Prefix,Max Length,Trust Anchor\n", fp) == EOF)
		return false;
	for (i = 0; i < set->num_vrps; i++) {
		vrp = &set->vrps[i];
		if ((ta = output_ta(set, vrp->ta)) == NULL ||
		    !output_prefix(vrp, prefix, sizeof(prefix)))
			return false;
		if (fprintf(fp, "AS%u,%s,%u,%s\n", vrp->asn, prefix,
			    vrp->maxlen, ta) < 0)
			return false;
	}
	return true;
}

/*
 * Writes s as a JSON string (RFC 8259 s.7). TA names are [A-Za-z0-9._-]
 * today (rp/tal.c), but escaping here keeps the document valid whatever a
 * later change lets through; a byte outside printable ASCII becomes \u00XX,
 * so even a name that is not UTF-8 cannot break it.
 */
static bool
output_json_string(FILE *fp, const char *s)
{
	const unsigned char *p;
	int r;

	if (putc('"', fp) == EOF)
		return false;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			r = fprintf(fp, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			r = fprintf(fp, "\\u%04x", *p);
		else
			r = putc(*p, fp);
		if (r < 0)
			return false;
	}
	return putc('"', fp) != EOF;
}

/* Opens the array name; its elements each start on a line of their own. */
static bool
output_json_open(FILE *fp, const char *name)
{
	return fprintf(fp, ",\n\"%s\":[", name) >= 0;
}

static bool
output_json_next(FILE *fp, size_t i)
{
	return fputs(i == 0 ? "\n" : ",\n", fp) != EOF;
}

static bool
output_json_close(FILE *fp, size_t n)
{
	return fputs(n == 0 ? "]" : "\n]", fp) != EOF;
}

static bool
output_json_meta(FILE *fp, const struct vrpset *set,
		 const struct output_meta *meta)
{
	char buildtime[OUTPUT_TIME_LEN];
	long long elapsed = 0;

	if (!output_time(meta->generated, buildtime))
		return false;
	/* Whole seconds, as rpki-client writes them; NaN and junk become 0. */
	if (meta->elapsed >= 0 && meta->elapsed < (double)LLONG_MAX / 2)
		elapsed = (long long)(meta->elapsed + 0.5);
	return fprintf(fp,
		       "{\"metadata\":{\"buildtime\":\"%s\",\"generated\":%lld,"
		       "\"elapsedtime\":%lld,\"vrps\":%zu,\"aspas\":%zu,"
		       "\"bgpsec_keys\":%zu}",
		       buildtime, (long long)meta->generated, elapsed,
		       set->num_vrps, set->num_vaps, set->num_keys) >= 0;
}

static bool
output_json_roas(FILE *fp, const struct vrpset *set)
{
	char prefix[OUTPUT_PREFIX_LEN];
	const struct vrp *vrp;
	const char *ta;
	size_t i;

	if (!output_json_open(fp, "roas"))
		return false;
	for (i = 0; i < set->num_vrps; i++) {
		vrp = &set->vrps[i];
		if ((ta = output_ta(set, vrp->ta)) == NULL ||
		    !output_prefix(vrp, prefix, sizeof(prefix)))
			return false;
		if (!output_json_next(fp, i) ||
		    fprintf(fp,
			    "{\"asn\":%u,\"prefix\":\"%s\",\"maxLength\":%u,"
			    "\"ta\":",
			    vrp->asn, prefix, vrp->maxlen) < 0 ||
		    !output_json_string(fp, ta) || putc('}', fp) == EOF)
			return false;
	}
	return output_json_close(fp, set->num_vrps);
}

static bool
output_json_aspas(FILE *fp, const struct vrpset *set)
{
	const struct vap *vap;
	const char *ta;
	size_t i, j;

	if (!output_json_open(fp, "aspas"))
		return false;
	for (i = 0; i < set->num_vaps; i++) {
		vap = &set->vaps[i];
		if ((ta = output_ta(set, vap->ta)) == NULL)
			return false;
		if (!output_json_next(fp, i) ||
		    fprintf(fp, "{\"customer_asid\":%u,\"providers\":[",
			    vap->customer) < 0)
			return false;
		for (j = 0; j < vap->num_providers; j++) {
			if (fprintf(fp, j == 0 ? "%u" : ",%u",
				    vap->providers[j]) < 0)
				return false;
		}
		if (fputs("],\"ta\":", fp) == EOF ||
		    !output_json_string(fp, ta) || putc('}', fp) == EOF)
			return false;
	}
	return output_json_close(fp, set->num_vaps);
}

/* Upper-case hex, as rpki-client writes the SKI and StayRTR reads it. */
static void
output_hex(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

/* A buffer reused for every key's base64, grown when a key needs more. */
struct output_b64 {
	char *buf;
	size_t cap;
};

static const char *
output_base64(struct output_b64 *b, const unsigned char *in, size_t len)
{
	size_t need;
	char *p;

	/* EVP_EncodeBlock counts in int; 4 bytes out for every 3 in. */
	if (len > (size_t)(INT_MAX / 4 - 1) * 3) {
		errno = EINVAL;
		return NULL;
	}
	need = (len + 2) / 3 * 4 + 1;
	if (need > b->cap) {
		if ((p = realloc(b->buf, need)) == NULL)
			return NULL;
		b->buf = p;
		b->cap = need;
	}
	EVP_EncodeBlock((unsigned char *)b->buf, in, (int)len);
	return b->buf;
}

static bool
output_json_keys(FILE *fp, const struct vrpset *set)
{
	char ski[2 * SHA_DIGEST_LENGTH + 1];
	struct output_b64 b64 = {NULL, 0};
	const struct router_key *key;
	const char *ta, *pubkey;
	bool ok = false;
	size_t i;

	if (!output_json_open(fp, "bgpsec_keys"))
		return false;
	for (i = 0; i < set->num_keys; i++) {
		key = &set->keys[i];
		if ((ta = output_ta(set, key->ta)) == NULL)
			goto out;
		if ((pubkey = output_base64(&b64, key->spki, key->spki_len)) ==
		    NULL)
			goto out;
		output_hex(key->ski, sizeof(key->ski), ski);
		if (!output_json_next(fp, i) ||
		    fprintf(fp,
			    "{\"asn\":%u,\"ski\":\"%s\",\"pubkey\":\"%s\","
			    "\"ta\":",
			    key->asn, ski, pubkey) < 0 ||
		    !output_json_string(fp, ta) || putc('}', fp) == EOF)
			goto out;
	}
	ok = output_json_close(fp, set->num_keys);
out:
	free(b64.buf);
	return ok;
}

/* rpki-client's -j layout (output-json.c), which StayRTR reads. */
static bool
output_json(FILE *fp, const struct vrpset *set, const struct output_meta *meta)
{
	return output_json_meta(fp, set, meta) && output_json_roas(fp, set) &&
	    output_json_aspas(fp, set) && output_json_keys(fp, set) &&
	    fputs("}\n", fp) != EOF;
}

static bool
output_header(FILE *fp, const struct output_meta *meta)
{
	char generated[OUTPUT_TIME_LEN];

	if (!output_time(meta->generated, generated))
		return false;
	return fprintf(fp, "# vrpd, generated %s\n", generated) >= 0;
}

/*
 * The smallest provider in group[0..n) above after (any provider when
 * first); false when there is none. Each provider list is sorted, so this
 * is a binary search per list, and the union needs no memory of its own.
 */
static bool
output_vap_next(const struct vap *group, size_t n, bool first, uint32_t after,
		uint32_t *next)
{
	size_t i, lo, hi, mid;
	bool found = false;

	for (i = 0; i < n; i++) {
		const struct vap *v = &group[i];

		lo = 0;
		hi = v->num_providers;
		while (!first && lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (v->providers[mid] <= after)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == v->num_providers)
			continue;
		if (!found || v->providers[lo] < *next)
			*next = v->providers[lo];
		found = true;
	}
	return found;
}

/*
 * One aspa-set line per customer: bgpd keys its ASPA table by customer AS
 * alone, so the per-TA entries of one customer are written as their union,
 * as rpki-client does.
 */
static bool
output_bgpd_aspas(FILE *fp, const struct vrpset *set)
{
	const struct vap *vaps = set->vaps;
	uint32_t provider = 0;
	size_t i, j;
	bool first;

	if (set->num_vaps == 0)
		return true;
	if (fputs("\naspa-set {\n", fp) == EOF)
		return false;
	for (i = 0; i < set->num_vaps; i = j) {
		for (j = i + 1; j < set->num_vaps; j++) {
			if (vaps[j].customer != vaps[i].customer)
				break;
		}
		if (fprintf(fp, "\tcustomer-as %u provider-as {",
			    vaps[i].customer) < 0)
			return false;
		for (first = true; output_vap_next(&vaps[i], j - i, first,
						   provider, &provider);
		     first = false) {
			if (fprintf(fp, " %u", provider) < 0)
				return false;
		}
		if (fputs(" }\n", fp) == EOF)
			return false;
	}
	return fputs("}\n", fp) != EOF;
}

/* rpki-client's -o: roa-set and aspa-set blocks for bgpd.conf(5). */
static bool
output_bgpd(FILE *fp, const struct vrpset *set, const struct output_meta *meta)
{
	char prefix[OUTPUT_PREFIX_LEN];
	const struct vrp *vrp;
	size_t i;
	int r;

	if (!output_header(fp, meta) || fputs("roa-set {\n", fp) == EOF)
		return false;
	for (i = 0; i < set->num_vrps; i++) {
		vrp = &set->vrps[i];
		if (i > 0 && output_same_route(&set->vrps[i - 1], vrp))
			continue;
		if (!output_prefix(vrp, prefix, sizeof(prefix)))
			return false;
		if (vrp->maxlen > vrp->prefixlen)
			r = fprintf(fp, "\t%s maxlen %u source-as %u\n", prefix,
				    vrp->maxlen, vrp->asn);
		else
			r = fprintf(fp, "\t%s source-as %u\n", prefix,
				    vrp->asn);
		if (r < 0)
			return false;
	}
	if (fputs("}\n", fp) == EOF)
		return false;
	return output_bgpd_aspas(fp, set);
}

/* One static protocol filling table, with the VRPs [from, to). */
static bool
output_bird_protocol(FILE *fp, const struct vrpset *set, const char *table,
		     int afi, size_t from, size_t to)
{
	char prefix[OUTPUT_PREFIX_LEN];
	const struct vrp *vrp;
	size_t i;

	if (fprintf(fp, "\nprotocol static {\n\troa%d { table %s; };\n", afi,
		    table) < 0)
		return false;
	for (i = from; i < to; i++) {
		vrp = &set->vrps[i];
		if (i > from && output_same_route(&set->vrps[i - 1], vrp))
			continue;
		if (!output_prefix(vrp, prefix, sizeof(prefix)))
			return false;
		if (fprintf(fp, "\troute %s max %u as %u;\n", prefix,
			    vrp->maxlen, vrp->asn) < 0)
			return false;
	}
	return fputs("}\n", fp) != EOF;
}

/*
 * BIRD 2 roa4/roa6 tables filled by static protocols. BIRD 2.0 (Debian 12)
 * has no ASPA table, so ASPAs and router keys are not written.
 */
static bool
output_bird(FILE *fp, const struct vrpset *set, const struct output_meta *meta)
{
	size_t v6;

	/* Sorted by family first: the IPv4 VRPs come before all IPv6 ones. */
	for (v6 = 0; v6 < set->num_vrps && set->vrps[v6].afi == 4; v6++)
		continue;
	return output_header(fp, meta) &&
	    fputs("roa4 table ROAS4;\nroa6 table ROAS6;\n", fp) != EOF &&
	    output_bird_protocol(fp, set, "ROAS4", 4, 0, v6) &&
	    output_bird_protocol(fp, set, "ROAS6", 6, v6, set->num_vrps);
}

bool
output_write(FILE *fp, enum output_format fmt, const struct vrpset *set,
	     const struct output_meta *meta)
{
	static const struct output_meta none;
	bool ok = false;

	if (meta == NULL)
		meta = &none;
	switch (fmt) {
	case OUTPUT_CSV:
		ok = output_csv(fp, set);
		break;
	case OUTPUT_JSON:
		ok = output_json(fp, set, meta);
		break;
	case OUTPUT_OPENBGPD:
		ok = output_bgpd(fp, set, meta);
		break;
	case OUTPUT_BIRD:
		ok = output_bird(fp, set, meta);
		break;
	default:
		errno = EINVAL;
		return false;
	}
	/* stdio buffers: a full disk often shows only when flushing. */
	if (fflush(fp) == EOF)
		return false;
	return ok;
}
