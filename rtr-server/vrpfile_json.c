/*
 * The JSON payload file. It goes through yajl's callback parser a chunk at
 * a time and each entry is added to the set as soon as its closing brace is
 * seen, so memory follows the payloads, never the text: no tree of a 60 MB
 * file is built.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "rp/limits.h"
#include "vrpfile_parse.h"

/*
 * Deepest JSON nesting. The layout goes four deep (document, "aspas", an
 * entry, its providers); the rest is room for unknown members, which are
 * skipped, so their depth is all a hostile file could use against us.
 */
#define VRPFILE_MAX_JSON_DEPTH 16

enum json_kind {
	KIND_ROA,
	KIND_ASPA,
	KIND_KEY,
	KIND_TOP,
};

/* What a frame of the nesting stack is. */
enum json_role {
	ROLE_TOP,	/* the document's object */
	ROLE_LIST,	/* "roas", "aspas" or "bgpsec_keys" */
	ROLE_ENTRY,	/* one object of a list */
	ROLE_PROVIDERS, /* an ASPA's providers */
	ROLE_SKIP,	/* inside an unknown member */
};

/* What the value after a key is; also bits of json_entry.seen. */
enum json_field {
	F_NONE,
	F_SKIP,
	F_ROAS,
	F_ASPAS,
	F_KEYS,
	F_ASN,
	F_PREFIX,
	F_MAXLEN,
	F_TA,
	F_CUSTOMER,
	F_PROVIDERS,
	F_SKI,
	F_PUBKEY,
};

static const char *const json_field_names[] = {
    [F_ROAS] = "roas",
    [F_ASPAS] = "aspas",
    [F_KEYS] = "bgpsec_keys",
    [F_ASN] = "asn",
    [F_PREFIX] = "prefix",
    [F_MAXLEN] = "maxLength",
    [F_TA] = "ta",
    [F_CUSTOMER] = "customer_asid",
    [F_PROVIDERS] = "providers",
    [F_SKI] = "ski",
    [F_PUBKEY] = "pubkey",
};

/* The keys we read, by where they stand; all others are skipped. */
static const struct {
	const char *name;
	enum json_kind kind;
	enum json_field field;
} json_keys[] = {
    {"roas", KIND_TOP, F_ROAS},
    {"aspas", KIND_TOP, F_ASPAS},
    {"bgpsec_keys", KIND_TOP, F_KEYS},
    {"asn", KIND_ROA, F_ASN},
    {"prefix", KIND_ROA, F_PREFIX},
    {"maxLength", KIND_ROA, F_MAXLEN},
    {"ta", KIND_ROA, F_TA},
    {"customer_asid", KIND_ASPA, F_CUSTOMER},
    {"providers", KIND_ASPA, F_PROVIDERS},
    /* StayRTR reads this older name too. */
    {"provider_set", KIND_ASPA, F_PROVIDERS},
    {"ta", KIND_ASPA, F_TA},
    {"asn", KIND_KEY, F_ASN},
    {"ski", KIND_KEY, F_SKI},
    {"pubkey", KIND_KEY, F_PUBKEY},
    {"ta", KIND_KEY, F_TA},
};

static const char *const json_entry_names[] = {
    [KIND_ROA] = "roa",
    [KIND_ASPA] = "aspa",
    [KIND_KEY] = "bgpsec key",
};

enum json_type {
	TYPE_NULL,
	TYPE_BOOL,
	TYPE_NUMBER,
	TYPE_STRING,
	TYPE_OBJECT,
	TYPE_ARRAY,
};

static const char *const json_type_names[] = {
    [TYPE_NUMBER] = "a number",
    [TYPE_STRING] = "a string",
    [TYPE_ARRAY] = "an array",
};

struct json_frame {
	uint8_t role;  /* enum json_role */
	uint8_t kind;  /* enum json_kind, of lists and entries */
	uint8_t field; /* of objects: what the last key said comes next */
};

/* The entry being read, reused for the next one. */
struct json_entry {
	bool open;
	unsigned int seen; /* 1 << enum json_field */
	uint64_t off;	   /* file offset of its '{' */
	uint64_t line;	   /* its line, once its chunk is done; else 0 */
	uint32_t asn;
	struct vrp vrp;
	char ta[MAX_TAL_NAME_LENGTH + 1];
	unsigned char ski[SHA_DIGEST_LENGTH];
	unsigned char spki[VRPFILE_MAX_SPKI];
	size_t spki_len;
	uint32_t *providers;
	size_t num_providers, cap_providers;
};

struct json {
	struct vrpfile_in *in;
	yajl_handle yh;
	struct json_frame stack[VRPFILE_MAX_JSON_DEPTH];
	size_t depth;
	unsigned int seen; /* top-level lists */
	uint64_t fail_line, fail_byte;
	struct json_entry e;
};

/* Notes the token just parsed as the place of the error in in->why. */
static int
json_fail(struct json *j)
{
	struct vrpfile_in *in = j->in;
	size_t n = yajl_get_bytes_consumed(j->yh);

	j->fail_byte = in->off + (n > in->len ? in->len : n);
	j->fail_line = vrpfile_line_at(in, j->fail_byte);
	return 0;
}

/* Notes the start of the current entry as the place of the error. */
static int
json_fail_entry(struct json *j)
{
	j->fail_byte = j->e.off;
	j->fail_line =
	    j->e.line != 0 ? j->e.line : vrpfile_line_at(j->in, j->e.off);
	return 0;
}

static int
json_push(struct json *j, enum json_role role, uint8_t kind)
{
	struct json_frame *f;

	if (j->depth == VRPFILE_MAX_JSON_DEPTH) {
		vrpfile_why(j->in, "nested deeper than %d",
			    VRPFILE_MAX_JSON_DEPTH);
		return json_fail(j);
	}
	f = &j->stack[j->depth++];
	f->role = (uint8_t)role;
	f->kind = kind;
	f->field = F_NONE;
	return 1;
}

static int
json_skip(struct json *j, enum json_type type)
{
	if (type == TYPE_OBJECT || type == TYPE_ARRAY)
		return json_push(j, ROLE_SKIP, 0);
	return 1;
}

static int
json_type_error(struct json *j, enum json_field field, enum json_type want)
{
	vrpfile_why(j->in, "\"%s\" is not %s", json_field_names[field],
		    json_type_names[want]);
	return json_fail(j);
}

static int
json_entry_begin(struct json *j, enum json_kind kind)
{
	struct json_entry *e = &j->e;

	e->open = true;
	e->seen = 0;
	e->off = j->in->off + yajl_get_bytes_consumed(j->yh) - 1;
	e->line = 0;
	e->ta[0] = '\0';
	e->num_providers = 0;
	memset(&e->vrp, 0, sizeof(e->vrp));
	return json_push(j, ROLE_ENTRY, (uint8_t)kind);
}

static int
json_entry_missing(struct json *j, enum json_kind kind, enum json_field field)
{
	vrpfile_why(j->in, "%s without \"%s\"", json_entry_names[kind],
		    json_field_names[field]);
	return json_fail_entry(j);
}

/* The entry's closing brace: everything is known, so it is added now. */
static int
json_entry_end(struct json *j, enum json_kind kind)
{
	static const enum json_field need[][3] = {
	    [KIND_ROA] = {F_ASN, F_PREFIX, F_NONE},
	    [KIND_ASPA] = {F_CUSTOMER, F_PROVIDERS, F_NONE},
	    [KIND_KEY] = {F_ASN, F_SKI, F_PUBKEY},
	};
	struct json_entry *e = &j->e;
	struct vrpfile_in *in = j->in;
	bool ok = false;
	size_t i;

	e->open = false;
	for (i = 0; i < 3 && need[kind][i] != F_NONE; i++) {
		if (!(e->seen & 1u << need[kind][i]))
			return json_entry_missing(j, kind, need[kind][i]);
	}
	switch (kind) {
	case KIND_ROA:
		e->vrp.asn = e->asn;
		/* StayRTR: no maxLength means the prefix length. */
		if (!(e->seen & 1u << F_MAXLEN))
			e->vrp.maxlen = e->vrp.prefixlen;
		ok = vrpfile_add_vrp(in, &e->vrp, e->ta);
		break;
	case KIND_ASPA:
		ok = vrpfile_add_vap(in, e->asn, e->providers, e->num_providers,
				     e->ta);
		break;
	case KIND_KEY:
		ok = vrpfile_add_key(in, e->asn, e->ski, e->spki, e->spki_len,
				     e->ta);
		break;
	default:
		break;
	}
	return ok ? 1 : json_fail_entry(j);
}

static int
json_provider(struct json *j, enum json_type type, const char *s, size_t len)
{
	struct json_entry *e = &j->e;
	uint32_t *p;
	size_t cap;

	if (type != TYPE_NUMBER) {
		vrpfile_why(j->in, "a provider is not a number");
		return json_fail(j);
	}
	if (e->num_providers == MAX_ASPA_PROVIDERS) {
		vrpfile_why(j->in, "aspa of AS%u has more than %d providers",
			    e->asn, MAX_ASPA_PROVIDERS);
		return json_fail(j);
	}
	if (e->num_providers == e->cap_providers) {
		cap = e->cap_providers == 0 ? 16 : e->cap_providers * 2;
		if ((p = reallocarray(e->providers, cap, sizeof(*p))) == NULL) {
			vrpfile_why(j->in, "out of memory");
			return json_fail(j);
		}
		e->providers = p;
		e->cap_providers = cap;
	}
	if (!vrpfile_number(j->in, "provider", s, len, UINT32_MAX,
			    &e->providers[e->num_providers]))
		return json_fail(j);
	e->num_providers++;
	return 1;
}

/* The value of a key we read in an entry. */
static int
json_field(struct json *j, enum json_field field, enum json_type type,
	   const char *s, size_t len)
{
	struct json_entry *e = &j->e;
	struct vrpfile_in *in = j->in;
	uint32_t v;
	bool ok;

	if (field == F_PROVIDERS) {
		if (type != TYPE_ARRAY)
			return json_type_error(j, field, TYPE_ARRAY);
		return json_push(j, ROLE_PROVIDERS, 0);
	}
	if (field == F_ASN && type == TYPE_STRING)
		type = TYPE_NUMBER; /* StayRTR writes "AS64496" */
	else if (field == F_ASN || field == F_MAXLEN || field == F_CUSTOMER) {
		if (type != TYPE_NUMBER)
			return json_type_error(j, field, TYPE_NUMBER);
	} else if (type != TYPE_STRING)
		return json_type_error(j, field, TYPE_STRING);
	/* A "\u0000" would cut the C strings made from this short. */
	if (memchr(s, '\0', len) != NULL) {
		vrpfile_why(in, "\"%s\" has a NUL character",
			    json_field_names[field]);
		return json_fail(j);
	}
	switch (field) {
	case F_ASN:
	case F_CUSTOMER:
		ok = vrpfile_asn(in, json_field_names[field], s, len, &e->asn);
		break;
	case F_PREFIX:
		ok = vrpfile_prefix(in, s, len, &e->vrp);
		break;
	case F_MAXLEN:
		ok = vrpfile_number(in, "maxLength", s, len, 128, &v);
		e->vrp.maxlen = (uint8_t)v;
		break;
	case F_TA:
		ok = vrpfile_ta(in, s, len, e->ta);
		break;
	case F_SKI:
		ok = vrpfile_ski(in, s, len, e->ski);
		break;
	case F_PUBKEY:
		ok = vrpfile_base64(in, s, len, e->spki, &e->spki_len);
		break;
	default:
		ok = true;
		break;
	}
	return ok ? 1 : json_fail(j);
}

/* Every value and every opening bracket comes here. */
static int
json_value(struct json *j, enum json_type type, const char *s, size_t len)
{
	struct json_frame *f;
	enum json_field field;

	if (j->depth == 0) {
		/* The first byte was '{', so nothing else can come here. */
		return json_push(j, ROLE_TOP, KIND_TOP);
	}
	f = &j->stack[j->depth - 1];
	field = f->field;
	f->field = F_NONE;
	switch (f->role) {
	case ROLE_TOP:
		if (field == F_SKIP)
			return json_skip(j, type);
		if (type != TYPE_ARRAY)
			return json_type_error(j, field, TYPE_ARRAY);
		return json_push(j, ROLE_LIST, (uint8_t)(field - F_ROAS));
	case ROLE_LIST:
		if (type != TYPE_OBJECT) {
			vrpfile_why(j->in,
				    "an element of \"%s\" is not an "
				    "object",
				    json_field_names[F_ROAS + f->kind]);
			return json_fail(j);
		}
		return json_entry_begin(j, f->kind);
	case ROLE_ENTRY:
		if (field == F_SKIP)
			return json_skip(j, type);
		return json_field(j, field, type, s, len);
	case ROLE_PROVIDERS:
		return json_provider(j, type, s, len);
	default:
		return json_skip(j, type);
	}
}

static int
json_map_key(void *ctx, const unsigned char *key, size_t len)
{
	struct json *j = ctx;
	struct json_frame *f = &j->stack[j->depth - 1];
	unsigned int *seen;
	size_t i;

	if (f->role == ROLE_SKIP)
		return 1;
	seen = f->role == ROLE_TOP ? &j->seen : &j->e.seen;
	f->field = F_SKIP;
	for (i = 0; i < sizeof(json_keys) / sizeof(json_keys[0]); i++) {
		if (json_keys[i].kind == f->kind &&
		    strlen(json_keys[i].name) == len &&
		    memcmp(json_keys[i].name, key, len) == 0) {
			f->field = (uint8_t)json_keys[i].field;
			break;
		}
	}
	if (f->field == F_SKIP)
		return 1;
	/* Most JSON readers take the last of two; we refuse to guess. */
	if (*seen & 1u << f->field) {
		vrpfile_why(j->in, "\"%s\" given twice",
			    json_field_names[f->field]);
		return json_fail(j);
	}
	*seen |= 1u << f->field;
	return 1;
}

static int
json_end(void *ctx)
{
	struct json *j = ctx;
	struct json_frame *f = &j->stack[--j->depth];

	if (f->role == ROLE_ENTRY)
		return json_entry_end(j, f->kind);
	if (f->role == ROLE_TOP && !(j->seen & 1u << F_ROAS)) {
		/* Serving nothing for want of a key would withdraw all. */
		vrpfile_why(j->in, "no \"roas\" array");
		return json_fail(j);
	}
	return 1;
}

static int
json_null(void *ctx)
{
	return json_value(ctx, TYPE_NULL, NULL, 0);
}

static int
json_boolean(void *ctx, int b)
{
	(void)b;
	return json_value(ctx, TYPE_BOOL, NULL, 0);
}

static int
json_number(void *ctx, const char *s, size_t len)
{
	return json_value(ctx, TYPE_NUMBER, s, len);
}

static int
json_string(void *ctx, const unsigned char *s, size_t len)
{
	return json_value(ctx, TYPE_STRING, (const char *)s, len);
}

static int
json_start_map(void *ctx)
{
	return json_value(ctx, TYPE_OBJECT, NULL, 0);
}

static int
json_start_array(void *ctx)
{
	return json_value(ctx, TYPE_ARRAY, NULL, 0);
}

/* Numbers come as text, so "24.0" and "1e100" are refused, not rounded. */
static const yajl_callbacks json_callbacks = {
    .yajl_null = json_null,
    .yajl_boolean = json_boolean,
    .yajl_number = json_number,
    .yajl_string = json_string,
    .yajl_start_map = json_start_map,
    .yajl_map_key = json_map_key,
    .yajl_end_map = json_end,
    .yajl_start_array = json_start_array,
    .yajl_end_array = json_end,
};

/* yajl's own message, for a syntax error at the chunk's byte n. */
static void
json_syntax_error(struct json *j, size_t n)
{
	struct vrpfile_in *in = j->in;
	unsigned char *msg;
	size_t len;

	msg = yajl_get_error(j->yh, 0, in->buf, in->len);
	vrpfile_why(in, "%s", msg != NULL ? (char *)msg : "JSON syntax error");
	if (msg != NULL)
		yajl_free_error(j->yh, msg);
	len = strlen(in->why);
	while (len > 0 && in->why[len - 1] == '\n')
		in->why[--len] = '\0';
	j->fail_byte = in->off + (n > in->len ? in->len : n);
	j->fail_line = vrpfile_line_at(in, j->fail_byte);
}

bool
vrpfile_json(struct vrpfile_in *in)
{
	struct json *j;
	yajl_status st = yajl_status_ok;
	bool ok = false;

	/* Some 2 KiB: the entry holds a whole key. */
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		vrpfile_why(in, "out of memory");
		vrpfile_error(in, 0, false, 0);
		return false;
	}
	j->in = in;
	if ((j->yh = yajl_alloc(&json_callbacks, NULL, j)) == NULL) {
		vrpfile_why(in, "out of memory");
		vrpfile_error(in, 0, false, 0);
		goto out;
	}
	while (in->len > 0) {
		st = yajl_parse(j->yh, in->buf, in->len);
		if (st != yajl_status_ok)
			break;
		/* The chunk goes now: keep the line of an entry begun in it. */
		if (j->e.open && j->e.line == 0)
			j->e.line = vrpfile_line_at(in, j->e.off);
		if (!vrpfile_read(in, 0))
			goto out;
	}
	if (st == yajl_status_ok)
		st = yajl_complete_parse(j->yh);
	if (st == yajl_status_error)
		json_syntax_error(j, yajl_get_bytes_consumed(j->yh));
	if (st != yajl_status_ok) {
		vrpfile_error(in, j->fail_line, true, j->fail_byte);
		goto out;
	}
	ok = true;
out:
	if (j->yh != NULL)
		yajl_free(j->yh);
	free(j->e.providers);
	free(j);
	return ok;
}
