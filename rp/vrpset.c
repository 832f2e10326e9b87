/*
 * The payload set of one run. Validation adds to it from many places in any
 * order, with duplicates (the same ROA reached twice, two ROAs saying the
 * same thing); vrpset_finish() turns that into the sorted, unique arrays
 * that every output and the RTR server read without further checks.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "log.h"
#include "vrpset.h"

/* DESIGN.md, Performance: 800,000 VRPs must stay about 19 MB. */
_Static_assert(sizeof(struct vrp) == 24, "struct vrp must stay 24 bytes");

/* A VRP's TA is one byte wide, so MAX_TAS must fit in it. */
_Static_assert(MAX_TAS <= UINT8_MAX + 1, "MAX_TAS does not fit vrp.ta");

/* First allocation of each array; doubling from here. */
#define VRPSET_INITIAL_CAP 64

/*
 * Returns arr grown to hold at least need (> 0) elements of size bytes,
 * updating *cap, or NULL (arr untouched) when the size overflows or memory
 * runs out. Doubling keeps a million adds at a few dozen reallocations.
 */
static void *
vrpset_grow(void *arr, size_t *cap, size_t need, size_t size)
{
	size_t newcap;
	void *p;

	if (need <= *cap)
		return arr;
	newcap = *cap < VRPSET_INITIAL_CAP ? VRPSET_INITIAL_CAP : *cap;
	while (newcap < need) {
		if (newcap > SIZE_MAX / 2) {
			newcap = need;
			break;
		}
		newcap *= 2;
	}
	if ((p = reallocarray(arr, newcap, size)) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	*cap = newcap;
	return p;
}

struct vrpset *
vrpset_new(void)
{
	return calloc(1, sizeof(struct vrpset));
}

int
vrpset_add_ta(struct vrpset *set, const char *name)
{
	char **tas;
	size_t i;

	for (i = 0; i < set->num_tas; i++) {
		if (strcmp(set->tas[i], name) == 0)
			return (int)i;
	}
	if (set->num_tas >= MAX_TAS) {
		log_warnx("vrpset: %s: more than %d trust anchors", name,
			  MAX_TAS);
		errno = ERANGE;
		return -1;
	}
	tas = reallocarray(set->tas, set->num_tas + 1, sizeof(*tas));
	if (tas == NULL)
		return -1;
	set->tas = tas;
	if ((tas[set->num_tas] = strdup(name)) == NULL)
		return -1;
	return (int)set->num_tas++;
}

/*
 * Sorting and deduplication compare whole VRPs, so two VRPs for one prefix
 * must agree on every byte: no host bits, nothing after an IPv4 address.
 * RFC 9582 s.4.3.2 bounds maxLength by the prefix length and the family.
 */
static bool
vrp_valid(const struct vrpset *set, const struct vrp *vrp)
{
	unsigned int bits;
	size_t i;

	if (vrp->ta >= set->num_tas)
		return false;
	switch (vrp->afi) {
	case 4:
		bits = 32;
		break;
	case 6:
		bits = 128;
		break;
	default:
		return false;
	}
	if (vrp->prefixlen > vrp->maxlen || vrp->maxlen > bits)
		return false;
	i = vrp->prefixlen / 8;
	if (vrp->prefixlen % 8 != 0) {
		if (vrp->addr[i] & (0xff >> (vrp->prefixlen % 8)))
			return false;
		i++;
	}
	for (; i < sizeof(vrp->addr); i++) {
		if (vrp->addr[i] != 0)
			return false;
	}
	return true;
}

bool
vrpset_add_vrp(struct vrpset *set, const struct vrp *vrp)
{
	struct vrp *vrps;

	if (!vrp_valid(set, vrp)) {
		errno = EINVAL;
		return false;
	}
	vrps = vrpset_grow(set->vrps, &set->cap_vrps, set->num_vrps + 1,
			   sizeof(*vrps));
	if (vrps == NULL)
		return false;
	set->vrps = vrps;
	vrps[set->num_vrps++] = *vrp;
	return true;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Sorts a[0..n) and drops repeats; returns the new length. */
static size_t
u32_sort_unique(uint32_t *a, size_t n)
{
	size_t i, w = 0;

	if (n == 0)
		return 0;
	qsort(a, n, sizeof(*a), u32_cmp);
	for (i = 1; i < n; i++) {
		if (a[i] != a[w])
			a[++w] = a[i];
	}
	return w + 1;
}

bool
vrpset_add_vap(struct vrpset *set, uint8_t ta, uint32_t customer,
	       const uint32_t *providers, size_t num_providers)
{
	struct vap *vaps;
	uint32_t *copy = NULL;

	if (ta >= set->num_tas) {
		errno = EINVAL;
		return false;
	}
	vaps = vrpset_grow(set->vaps, &set->cap_vaps, set->num_vaps + 1,
			   sizeof(*vaps));
	if (vaps == NULL)
		return false;
	set->vaps = vaps;
	if (num_providers > 0) {
		copy = reallocarray(NULL, num_providers, sizeof(*copy));
		if (copy == NULL)
			return false;
		memcpy(copy, providers, num_providers * sizeof(*copy));
		/* struct vap promises ascending and unique; make it so. */
		num_providers = u32_sort_unique(copy, num_providers);
	}
	vaps[set->num_vaps++] = (struct vap){
	    .customer = customer,
	    .providers = copy,
	    .num_providers = num_providers,
	    .ta = ta,
	};
	return true;
}

bool
vrpset_add_key(struct vrpset *set, uint8_t ta, uint32_t asn,
	       const unsigned char *ski, const unsigned char *spki,
	       size_t spki_len)
{
	struct router_key *keys, *key;
	unsigned char *copy;

	/* A key came out of one object, so it is no bigger than one. */
	if (ta >= set->num_tas || spki_len == 0 || spki_len > MAX_OBJECT_SIZE) {
		errno = EINVAL;
		return false;
	}
	keys = vrpset_grow(set->keys, &set->cap_keys, set->num_keys + 1,
			   sizeof(*keys));
	if (keys == NULL)
		return false;
	set->keys = keys;
	if ((copy = malloc(spki_len)) == NULL)
		return false;
	memcpy(copy, spki, spki_len);
	key = &keys[set->num_keys++];
	key->asn = asn;
	memcpy(key->ski, ski, sizeof(key->ski));
	key->spki = copy;
	key->spki_len = spki_len;
	key->ta = ta;
	return true;
}

/*
 * Makes dst know every TA src knows, at the same index; false if an index
 * names different TAs in the two sets (a caller bug: the sets would mix up
 * their VRPs' trust anchors).
 */
static bool
vrpset_merge_tas(struct vrpset *dst, const struct vrpset *src)
{
	size_t i;

	for (i = 0; i < src->num_tas; i++) {
		if (i < dst->num_tas) {
			if (strcmp(dst->tas[i], src->tas[i]) != 0) {
				log_warnx("vrpset: merge: TA %zu is %s in one "
					  "set and %s in the other",
					  i, dst->tas[i], src->tas[i]);
				errno = EINVAL;
				return false;
			}
			continue;
		}
		if (vrpset_add_ta(dst, src->tas[i]) != (int)i)
			return false;
	}
	return true;
}

bool
vrpset_merge(struct vrpset *dst, struct vrpset *src)
{
	struct vrp *vrps;
	struct vap *vaps;
	struct router_key *keys;

	if (!vrpset_merge_tas(dst, src))
		return false;
	if (dst->num_vrps > SIZE_MAX - src->num_vrps ||
	    dst->num_vaps > SIZE_MAX - src->num_vaps ||
	    dst->num_keys > SIZE_MAX - src->num_keys) {
		errno = ENOMEM;
		return false;
	}

	/* Room for everything first, so a failure moves nothing. */
	if (src->num_vrps > 0) {
		vrps =
		    vrpset_grow(dst->vrps, &dst->cap_vrps,
				dst->num_vrps + src->num_vrps, sizeof(*vrps));
		if (vrps == NULL)
			return false;
		dst->vrps = vrps;
	}
	if (src->num_vaps > 0) {
		vaps =
		    vrpset_grow(dst->vaps, &dst->cap_vaps,
				dst->num_vaps + src->num_vaps, sizeof(*vaps));
		if (vaps == NULL)
			return false;
		dst->vaps = vaps;
	}
	if (src->num_keys > 0) {
		keys =
		    vrpset_grow(dst->keys, &dst->cap_keys,
				dst->num_keys + src->num_keys, sizeof(*keys));
		if (keys == NULL)
			return false;
		dst->keys = keys;
	}

	/* The structs move; the provider and SPKI buffers change owner. */
	if (src->num_vrps > 0)
		memcpy(dst->vrps + dst->num_vrps, src->vrps,
		       src->num_vrps * sizeof(*dst->vrps));
	if (src->num_vaps > 0)
		memcpy(dst->vaps + dst->num_vaps, src->vaps,
		       src->num_vaps * sizeof(*dst->vaps));
	if (src->num_keys > 0)
		memcpy(dst->keys + dst->num_keys, src->keys,
		       src->num_keys * sizeof(*dst->keys));
	dst->num_vrps += src->num_vrps;
	dst->num_vaps += src->num_vaps;
	dst->num_keys += src->num_keys;
	src->num_vrps = src->num_vaps = src->num_keys = 0;
	return true;
}

/* (afi, addr, prefixlen, maxlen, asn, ta): the order of every output. */
static int
vrp_cmp(const void *a, const void *b)
{
	const struct vrp *x = a, *y = b;
	int c;

	if (x->afi != y->afi)
		return x->afi < y->afi ? -1 : 1;
	if ((c = memcmp(x->addr, y->addr, sizeof(x->addr))) != 0)
		return c;
	if (x->prefixlen != y->prefixlen)
		return x->prefixlen < y->prefixlen ? -1 : 1;
	if (x->maxlen != y->maxlen)
		return x->maxlen < y->maxlen ? -1 : 1;
	if (x->asn != y->asn)
		return x->asn < y->asn ? -1 : 1;
	return (x->ta > y->ta) - (x->ta < y->ta);
}

static int
vap_cmp(const void *a, const void *b)
{
	const struct vap *x = a, *y = b;

	if (x->customer != y->customer)
		return x->customer < y->customer ? -1 : 1;
	return (x->ta > y->ta) - (x->ta < y->ta);
}

static int
key_cmp(const void *a, const void *b)
{
	const struct router_key *x = a, *y = b;
	size_t len = x->spki_len < y->spki_len ? x->spki_len : y->spki_len;
	int c;

	if (x->asn != y->asn)
		return x->asn < y->asn ? -1 : 1;
	if ((c = memcmp(x->ski, y->ski, sizeof(x->ski))) != 0)
		return c;
	if ((c = memcmp(x->spki, y->spki, len)) != 0)
		return c;
	if (x->spki_len != y->spki_len)
		return x->spki_len < y->spki_len ? -1 : 1;
	return (x->ta > y->ta) - (x->ta < y->ta);
}

/* Gives back what doubling over-allocated; the set is read-only now. */
static void *
vrpset_shrink(void *arr, size_t *cap, size_t num, size_t size)
{
	void *p;

	if (num == 0 || num == *cap)
		return arr;
	if ((p = reallocarray(arr, num, size)) == NULL)
		return arr;
	*cap = num;
	return p;
}

static void
vrpset_finish_vrps(struct vrpset *set)
{
	size_t i, w = 0;

	if (set->num_vrps == 0)
		return;
	qsort(set->vrps, set->num_vrps, sizeof(*set->vrps), vrp_cmp);
	for (i = 1; i < set->num_vrps; i++) {
		if (vrp_cmp(&set->vrps[w], &set->vrps[i]) != 0)
			set->vrps[++w] = set->vrps[i];
	}
	set->num_vrps = w + 1;
	set->vrps = vrpset_shrink(set->vrps, &set->cap_vrps, set->num_vrps,
				  sizeof(*set->vrps));
}

/*
 * One customer may have several ASPAs under one TA (several CAs, or an old
 * and a new object during a rollover); a router must see one provider set
 * per customer, their union, so the group [first, first + n) becomes one.
 */
static bool
vap_union(struct vap *group, size_t n)
{
	size_t i, total = 0, off = 0;
	uint32_t *all;

	for (i = 0; i < n; i++) {
		if (group[i].num_providers > SIZE_MAX - total) {
			errno = ENOMEM;
			return false;
		}
		total += group[i].num_providers;
	}
	if (total == 0)
		all = NULL;
	else if ((all = reallocarray(NULL, total, sizeof(*all))) == NULL)
		return false;
	for (i = 0; i < n; i++) {
		if (group[i].num_providers > 0)
			memcpy(all + off, group[i].providers,
			       group[i].num_providers * sizeof(*all));
		off += group[i].num_providers;
		free(group[i].providers);
	}
	group[0].providers = all;
	group[0].num_providers = u32_sort_unique(all, total);
	return true;
}

static bool
vrpset_finish_vaps(struct vrpset *set)
{
	struct vap *vaps = set->vaps;
	size_t i, j, w = 0;

	if (set->num_vaps == 0)
		return true;
	qsort(vaps, set->num_vaps, sizeof(*vaps), vap_cmp);
	for (i = 0; i < set->num_vaps; i = j) {
		for (j = i + 1; j < set->num_vaps; j++) {
			if (vap_cmp(&vaps[i], &vaps[j]) != 0)
				break;
		}
		if (j - i > 1 && !vap_union(&vaps[i], j - i)) {
			/* Close the gap so the set stays whole, unmerged. */
			memmove(&vaps[w], &vaps[i],
				(set->num_vaps - i) * sizeof(*vaps));
			set->num_vaps = w + set->num_vaps - i;
			return false;
		}
		vaps[w++] = vaps[i];
	}
	set->num_vaps = w;
	set->vaps = vrpset_shrink(set->vaps, &set->cap_vaps, set->num_vaps,
				  sizeof(*set->vaps));
	return true;
}

static void
vrpset_finish_keys(struct vrpset *set)
{
	size_t i, w = 0;

	if (set->num_keys == 0)
		return;
	qsort(set->keys, set->num_keys, sizeof(*set->keys), key_cmp);
	for (i = 1; i < set->num_keys; i++) {
		if (key_cmp(&set->keys[w], &set->keys[i]) != 0)
			set->keys[++w] = set->keys[i];
		else
			free(set->keys[i].spki);
	}
	set->num_keys = w + 1;
	set->keys = vrpset_shrink(set->keys, &set->cap_keys, set->num_keys,
				  sizeof(*set->keys));
}

bool
vrpset_finish(struct vrpset *set)
{
	vrpset_finish_vrps(set);
	vrpset_finish_keys(set);
	if (!vrpset_finish_vaps(set)) {
		log_warn("vrpset: merging ASPA provider sets");
		return false;
	}
	return true;
}

/* Copies n elements of size bytes; true (and *out NULL) when n is 0. */
static bool
vrpset_dup(void **out, const void *arr, size_t n, size_t size)
{
	*out = NULL;
	if (n == 0)
		return true;
	if ((*out = reallocarray(NULL, n, size)) == NULL)
		return false;
	memcpy(*out, arr, n * size);
	return true;
}

struct vrpset *
vrpset_clone(const struct vrpset *set)
{
	struct vrpset *c;
	size_t i;

	if ((c = vrpset_new()) == NULL)
		return NULL;
	for (i = 0; i < set->num_tas; i++) {
		if (vrpset_add_ta(c, set->tas[i]) < 0)
			goto fail;
	}
	if (!vrpset_dup((void **)&c->vrps, set->vrps, set->num_vrps,
			sizeof(*set->vrps)))
		goto fail;
	c->num_vrps = c->cap_vrps = set->num_vrps;
	if ((c->vaps = calloc(set->num_vaps + 1, sizeof(*c->vaps))) == NULL)
		goto fail;
	c->cap_vaps = set->num_vaps + 1;
	for (i = 0; i < set->num_vaps; i++, c->num_vaps++) {
		c->vaps[i] = set->vaps[i];
		if (!vrpset_dup((void **)&c->vaps[i].providers,
				set->vaps[i].providers,
				set->vaps[i].num_providers,
				sizeof(*set->vaps[i].providers)))
			goto fail;
	}
	if ((c->keys = calloc(set->num_keys + 1, sizeof(*c->keys))) == NULL)
		goto fail;
	c->cap_keys = set->num_keys + 1;
	for (i = 0; i < set->num_keys; i++, c->num_keys++) {
		c->keys[i] = set->keys[i];
		if (!vrpset_dup((void **)&c->keys[i].spki, set->keys[i].spki,
				set->keys[i].spki_len, 1))
			goto fail;
	}
	return c;
fail:
	vrpset_free(c);
	return NULL;
}

struct vrpset_ta_count *
vrpset_count_tas(const struct vrpset *set)
{
	struct vrpset_ta_count *t;
	size_t i;

	/* A payload's TA index is always < num_tas (vrpset_add_* check). */
	if ((t = calloc(set->num_tas + 1, sizeof(*t))) == NULL)
		return NULL;
	for (i = 0; i < set->num_vrps; i++) {
		if (set->vrps[i].afi == 4)
			t[set->vrps[i].ta].v4++;
		else
			t[set->vrps[i].ta].v6++;
	}
	for (i = 0; i < set->num_vaps; i++)
		t[set->vaps[i].ta].vaps++;
	for (i = 0; i < set->num_keys; i++)
		t[set->keys[i].ta].keys++;
	return t;
}

void
vrpset_count(const struct vrpset *set, size_t *v4, size_t *v6)
{
	size_t i;

	*v4 = *v6 = 0;
	for (i = 0; i < set->num_vrps; i++) {
		if (set->vrps[i].afi == 4)
			(*v4)++;
		else
			(*v6)++;
	}
}

struct vrpset *
vrpset_ref(struct vrpset *set)
{
	atomic_fetch_add(&set->extra_refs, 1);
	return set;
}

void
vrpset_free(struct vrpset *set)
{
	size_t i;

	if (set == NULL || atomic_fetch_sub(&set->extra_refs, 1) != 0)
		return;
	for (i = 0; i < set->num_tas; i++)
		free(set->tas[i]);
	for (i = 0; i < set->num_vaps; i++)
		free(set->vaps[i].providers);
	for (i = 0; i < set->num_keys; i++)
		free(set->keys[i].spki);
	free(set->tas);
	free(set->vrps);
	free(set->vaps);
	free(set->keys);
	free(set);
}
