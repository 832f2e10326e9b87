/*
 * RTR payloads and deltas. A payload is a vrpset with the trust anchors
 * dropped and re-finished, so the set's own sort and dedupe make every
 * item unique and merge one customer's ASPAs over all TAs (8210bis:
 * one ASPA PDU per customer). Deltas are merges of two sorted arrays.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "payload.h"

/* The most deltas one fold takes: the longest --rtr-history. */
#define MAX_FOLD RTR_MAX_HISTORY

/*
 * 8210bis s.11.2 orders prefixes by address, then max length, then prefix
 * length, then AS; announcements descending and withdrawals ascending.
 * This is the ascending order; the encoder walks it either way.
 */
int
payload_cmp_prefix(const struct vrp *a, const struct vrp *b)
{
	int c;

	if (a->afi != b->afi)
		return a->afi < b->afi ? -1 : 1;
	if ((c = memcmp(a->addr, b->addr, sizeof(a->addr))) != 0)
		return c;
	if (a->maxlen != b->maxlen)
		return a->maxlen < b->maxlen ? -1 : 1;
	if (a->prefixlen != b->prefixlen)
		return a->prefixlen < b->prefixlen ? -1 : 1;
	if (a->asn != b->asn)
		return a->asn < b->asn ? -1 : 1;
	return 0;
}

/* 8210bis s.11.2: SKI, SPKI length, SPKI, then AS, all ascending. */
int
payload_cmp_key(const struct router_key *a, const struct router_key *b)
{
	int c;

	if ((c = memcmp(a->ski, b->ski, sizeof(a->ski))) != 0)
		return c;
	if (a->spki_len != b->spki_len)
		return a->spki_len < b->spki_len ? -1 : 1;
	if ((c = memcmp(a->spki, b->spki, a->spki_len)) != 0)
		return c;
	if (a->asn != b->asn)
		return a->asn < b->asn ? -1 : 1;
	return 0;
}

static int
qsort_prefix(const void *a, const void *b)
{
	return payload_cmp_prefix(a, b);
}

static int
qsort_key(const void *a, const void *b)
{
	return payload_cmp_key(a, b);
}

static bool
vap_equal(const struct vap *a, const struct vap *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return a->num_providers == b->num_providers &&
	    (a->num_providers == 0 ||
	     memcmp(a->providers, b->providers,
		    a->num_providers * sizeof(*a->providers)) == 0);
}

/*
 * SHA-256 over the items as served: two payloads with one digest serve the
 * same PDUs, which is what keeping a serial across a restart relies on.
 */
static bool
payload_digest(struct payload *p)
{
	EVP_MD_CTX *ctx;
	unsigned char n[4];
	size_t i;
	bool ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return false;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	for (i = 0; ok && i < p->num_prefixes; i++) {
		const struct vrp *v = &p->prefixes[i];

		ok = EVP_DigestUpdate(ctx, v, sizeof(*v)) == 1;
	}
	for (i = 0; ok && i < p->num_keys; i++) {
		const struct router_key *k = &p->keys[i];

		n[0] = (unsigned char)(k->asn >> 24);
		n[1] = (unsigned char)(k->asn >> 16);
		n[2] = (unsigned char)(k->asn >> 8);
		n[3] = (unsigned char)k->asn;
		ok = EVP_DigestUpdate(ctx, "K", 1) == 1 &&
		    EVP_DigestUpdate(ctx, n, sizeof(n)) == 1 &&
		    EVP_DigestUpdate(ctx, k->ski, sizeof(k->ski)) == 1 &&
		    EVP_DigestUpdate(ctx, k->spki, k->spki_len) == 1;
	}
	for (i = 0; ok && i < p->num_aspas; i++) {
		const struct vap *a = &p->aspas[i];

		ok = EVP_DigestUpdate(ctx, "A", 1) == 1 &&
		    EVP_DigestUpdate(ctx, &a->customer, sizeof(a->customer)) ==
			1 &&
		    EVP_DigestUpdate(ctx, &a->num_providers,
				     sizeof(a->num_providers)) == 1 &&
		    (a->num_providers == 0 ||
		     EVP_DigestUpdate(ctx, a->providers,
				      a->num_providers *
					  sizeof(*a->providers)) == 1);
	}
	ok = ok && EVP_DigestFinal_ex(ctx, p->digest, NULL) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

struct payload *
payload_from_vrpset(struct vrpset *set)
{
	struct payload *p;
	size_t i;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		vrpset_free(set);
		return NULL;
	}
	for (i = 0; i < set->num_vrps; i++)
		set->vrps[i].ta = 0;
	for (i = 0; i < set->num_keys; i++)
		set->keys[i].ta = 0;
	for (i = 0; i < set->num_vaps; i++)
		set->vaps[i].ta = 0;
	if (!vrpset_finish(set))
		goto fail;
	/* The set is unique now; only the order changes to the RTR one. */
	if (set->num_vrps > 0)
		qsort(set->vrps, set->num_vrps, sizeof(*set->vrps),
		      qsort_prefix);
	if (set->num_keys > 0)
		qsort(set->keys, set->num_keys, sizeof(*set->keys), qsort_key);
	p->owner = set;
	p->prefixes = set->vrps;
	p->num_prefixes = set->num_vrps;
	p->keys = set->keys;
	p->num_keys = set->num_keys;
	p->aspas = set->vaps;
	p->num_aspas = set->num_vaps;
	if (!payload_digest(p))
		goto fail;
	return p;
fail:
	vrpset_free(set);
	free(p);
	return NULL;
}

bool
payload_equal(const struct payload *a, const struct payload *b)
{
	return memcmp(a->digest, b->digest, sizeof(a->digest)) == 0;
}

void
payload_free(struct payload *p)
{
	if (p == NULL)
		return;
	vrpset_free(p->owner);
	free(p);
}

/* Appends one element, growing the array by doubling; false on ENOMEM. */
static bool
push(void **arr, size_t *num, size_t *cap, size_t size, const void *elem)
{
	void *p;

	if (*num == *cap) {
		size_t n = *cap == 0 ? 16 : *cap * 2;

		if ((p = reallocarray(*arr, n, size)) == NULL)
			return false;
		*arr = p;
		*cap = n;
	}
	memcpy((char *)*arr + *num * size, elem, size);
	(*num)++;
	return true;
}

struct delta_builder {
	struct delta *d;
	size_t cap_prefixes, cap_keys, cap_aspas;
};

static bool
add_prefix(struct delta_builder *b, const struct vrp *v, uint32_t step,
	   bool announce)
{
	struct prefix_change c = {*v, step, announce};

	return push((void **)&b->d->prefixes, &b->d->num_prefixes,
		    &b->cap_prefixes, sizeof(c), &c);
}

static bool
add_key(struct delta_builder *b, const struct router_key *k, uint32_t step,
	bool announce)
{
	struct key_change c = {*k, step, announce};

	if ((c.key.spki = malloc(k->spki_len)) == NULL)
		return false;
	memcpy(c.key.spki, k->spki, k->spki_len);
	if (!push((void **)&b->d->keys, &b->d->num_keys, &b->cap_keys,
		  sizeof(c), &c)) {
		free(c.key.spki);
		return false;
	}
	return true;
}

/* A copy of v's provider list into out; false on ENOMEM. */
static bool
copy_vap(struct vap *out, const struct vap *v)
{
	*out = *v;
	out->providers = NULL;
	if (v->num_providers == 0)
		return true;
	out->providers =
	    reallocarray(NULL, v->num_providers, sizeof(*v->providers));
	if (out->providers == NULL)
		return false;
	memcpy(out->providers, v->providers,
	       v->num_providers * sizeof(*v->providers));
	return true;
}

static bool
add_aspa(struct delta_builder *b, uint32_t customer, uint32_t step,
	 const struct vap *before, const struct vap *after)
{
	struct aspa_change c = {0};

	c.customer = customer;
	c.step = step;
	c.had_before = before != NULL;
	c.has_after = after != NULL;
	if ((before != NULL && !copy_vap(&c.before, before)) ||
	    (after != NULL && !copy_vap(&c.after, after)) ||
	    !push((void **)&b->d->aspas, &b->d->num_aspas, &b->cap_aspas,
		  sizeof(c), &c)) {
		free(c.before.providers);
		free(c.after.providers);
		return false;
	}
	return true;
}

static bool
diff_prefixes(struct delta_builder *b, const struct payload *from,
	      const struct payload *to, uint32_t step)
{
	size_t i = 0, j = 0;
	int c;

	while (i < from->num_prefixes || j < to->num_prefixes) {
		if (i == from->num_prefixes)
			c = 1;
		else if (j == to->num_prefixes)
			c = -1;
		else
			c = payload_cmp_prefix(&from->prefixes[i],
					       &to->prefixes[j]);
		if (c < 0 && !add_prefix(b, &from->prefixes[i], step, false))
			return false;
		if (c > 0 && !add_prefix(b, &to->prefixes[j], step, true))
			return false;
		i += c <= 0;
		j += c >= 0;
	}
	return true;
}

static bool
diff_keys(struct delta_builder *b, const struct payload *from,
	  const struct payload *to, uint32_t step)
{
	size_t i = 0, j = 0;
	int c;

	while (i < from->num_keys || j < to->num_keys) {
		if (i == from->num_keys)
			c = 1;
		else if (j == to->num_keys)
			c = -1;
		else
			c = payload_cmp_key(&from->keys[i], &to->keys[j]);
		if (c < 0 && !add_key(b, &from->keys[i], step, false))
			return false;
		if (c > 0 && !add_key(b, &to->keys[j], step, true))
			return false;
		i += c <= 0;
		j += c >= 0;
	}
	return true;
}

static bool
diff_aspas(struct delta_builder *b, const struct payload *from,
	   const struct payload *to, uint32_t step)
{
	const struct vap *x, *y;
	size_t i = 0, j = 0;

	while (i < from->num_aspas || j < to->num_aspas) {
		x = i < from->num_aspas ? &from->aspas[i] : NULL;
		y = j < to->num_aspas ? &to->aspas[j] : NULL;
		if (x != NULL && y != NULL && x->customer != y->customer) {
			if (x->customer < y->customer)
				y = NULL;
			else
				x = NULL;
		}
		if (!vap_equal(x, y) &&
		    !add_aspa(b, x != NULL ? x->customer : y->customer, step, x,
			      y))
			return false;
		i += x != NULL;
		j += y != NULL;
	}
	return true;
}

struct delta *
delta_diff(const struct payload *from, const struct payload *to, uint32_t step)
{
	struct delta_builder b = {0};

	if ((b.d = calloc(1, sizeof(*b.d))) == NULL)
		return NULL;
	b.d->owns = true;
	if (!diff_prefixes(&b, from, to, step) ||
	    !diff_keys(&b, from, to, step) || !diff_aspas(&b, from, to, step)) {
		delta_free(b.d);
		return NULL;
	}
	return b.d;
}

static int
prefix_change_cmp(const void *a, const void *b)
{
	const struct prefix_change *x = a, *y = b;
	int c;

	if ((c = payload_cmp_prefix(&x->vrp, &y->vrp)) != 0)
		return c;
	return (x->step > y->step) - (x->step < y->step);
}

static int
key_change_cmp(const void *a, const void *b)
{
	const struct key_change *x = a, *y = b;
	int c;

	if ((c = payload_cmp_key(&x->key, &y->key)) != 0)
		return c;
	return (x->step > y->step) - (x->step < y->step);
}

static int
aspa_change_cmp(const void *a, const void *b)
{
	const struct aspa_change *x = a, *y = b;

	if (x->customer != y->customer)
		return x->customer < y->customer ? -1 : 1;
	return (x->step > y->step) - (x->step < y->step);
}

/*
 * Concatenates n arrays of one kind of change and sorts the result by item
 * then step, so that each item's changes read oldest to newest. Sets *out
 * (NULL when there is none); false on ENOMEM.
 */
static bool
gather(void **out, size_t *total, void *const *arrs, const size_t *lens,
       size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	size_t i, off = 0;
	char *all;

	*out = NULL;
	*total = 0;
	for (i = 0; i < n; i++)
		*total += lens[i];
	if (*total == 0)
		return true;
	if ((all = reallocarray(NULL, *total, size)) == NULL)
		return false;
	for (i = 0; i < n; off += lens[i], i++) {
		if (lens[i] > 0)
			memcpy(all + off * size, arrs[i], lens[i] * size);
	}
	qsort(all, *total, size, cmp);
	*out = all;
	return true;
}

/*
 * Keeps the net change of each item's run [i, j): present before the
 * first change (it was withdrawn first) against present after the last.
 */
static size_t
fold_prefixes(struct prefix_change *all, size_t total)
{
	size_t i, j, w = 0;

	for (i = 0; i < total; i = j) {
		for (j = i + 1; j < total; j++) {
			if (payload_cmp_prefix(&all[i].vrp, &all[j].vrp) != 0)
				break;
		}
		if (!all[i].announce != all[j - 1].announce)
			all[w++] = all[j - 1];
	}
	return w;
}

static size_t
fold_keys(struct key_change *all, size_t total)
{
	size_t i, j, w = 0;

	for (i = 0; i < total; i = j) {
		for (j = i + 1; j < total; j++) {
			if (payload_cmp_key(&all[i].key, &all[j].key) != 0)
				break;
		}
		if (!all[i].announce != all[j - 1].announce)
			all[w++] = all[j - 1];
	}
	return w;
}

static size_t
fold_aspas(struct aspa_change *all, size_t total)
{
	const struct vap *before, *after;
	size_t i, j, w = 0;

	for (i = 0; i < total; i = j) {
		for (j = i + 1; j < total; j++) {
			if (all[j].customer != all[i].customer)
				break;
		}
		before = all[i].had_before ? &all[i].before : NULL;
		after = all[j - 1].has_after ? &all[j - 1].after : NULL;
		if (!vap_equal(before, after)) {
			all[w] = all[j - 1];
			all[w].had_before = all[i].had_before;
			all[w].before = all[i].before;
			w++;
		}
	}
	return w;
}

struct delta *
delta_fold(struct delta *const *deltas, size_t n)
{
	void *arrs[3 * MAX_FOLD];
	size_t lens[3 * MAX_FOLD];
	struct delta *d;
	size_t i, total;
	void *all;

	if (n > MAX_FOLD) {
		errno = EINVAL;
		return NULL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		arrs[i] = deltas[i]->prefixes;
		lens[i] = deltas[i]->num_prefixes;
		arrs[n + i] = deltas[i]->keys;
		lens[n + i] = deltas[i]->num_keys;
		arrs[2 * n + i] = deltas[i]->aspas;
		lens[2 * n + i] = deltas[i]->num_aspas;
	}
	if (!gather(&all, &total, arrs, lens, n, sizeof(struct prefix_change),
		    prefix_change_cmp))
		goto fail;
	d->prefixes = all;
	d->num_prefixes = fold_prefixes(d->prefixes, total);
	if (!gather(&all, &total, arrs + n, lens + n, n,
		    sizeof(struct key_change), key_change_cmp))
		goto fail;
	d->keys = all;
	d->num_keys = fold_keys(d->keys, total);
	if (!gather(&all, &total, arrs + 2 * n, lens + 2 * n, n,
		    sizeof(struct aspa_change), aspa_change_cmp))
		goto fail;
	d->aspas = all;
	d->num_aspas = fold_aspas(d->aspas, total);
	return d;
fail:
	delta_free(d);
	return NULL;
}

size_t
delta_size(const struct delta *d)
{
	return d->num_prefixes + d->num_keys + d->num_aspas;
}

void
delta_free(struct delta *d)
{
	size_t i;

	if (d == NULL)
		return;
	if (d->owns) {
		for (i = 0; i < d->num_keys; i++)
			free(d->keys[i].key.spki);
		for (i = 0; i < d->num_aspas; i++) {
			free(d->aspas[i].before.providers);
			free(d->aspas[i].after.providers);
		}
	}
	free(d->prefixes);
	free(d->keys);
	free(d->aspas);
	free(d);
}
