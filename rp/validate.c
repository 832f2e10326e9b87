/*
 * The tree walk. Each CA certificate that passes its checks becomes a work
 * item; worker threads take items and process the CA's publication point
 * (RFC 9286 s.6): the manifest, its one CRL, every listed file with its
 * hash, then each object against this CA. Every signature is verified once,
 * with the issuer's key, which is what makes the walk fast; the checks a
 * full path validation would repeat (resources, validity, revocation) are
 * carried down the tree in the work item instead.
 *
 * A publication point fails as a whole when its manifest or CRL is missing,
 * invalid or stale, or a listed file is missing or does not match its hash:
 * then nothing from it is used, including its child CAs (RFC 9286 s.6.6).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "aspa.h"
#include "cert.h"
#include "crl.h"
#include "limits.h"
#include "lkg.h"
#include "log.h"
#include "mft.h"
#include "mirror.h"
#include "roa.h"
#include "validate.h"

/* A CA whose publication point is still to be processed. */
struct ca_item {
	struct cert *cert;    /* owned */
	struct resources eff; /* its resources with inherit resolved */
	char *uri;	      /* where its certificate was found */
	int depth;	      /* 0 for a TA */
	/* The SKIs from the TA down to this CA: depth + 1 of them. */
	unsigned char (*path)[SHA_DIGEST_LENGTH];
	uint8_t ta;
	struct ca_item *next;
};

/* One file of a publication point, read and hash-checked. */
struct pp_file {
	const char *name; /* points into the manifest */
	char *uri;
	unsigned char *data;
	size_t len;
};

struct pubpoint {
	const char *root; /* the mirror, or the kept copies (lkg.h) */
	struct mft *mft;
	unsigned char *mft_der; /* kept to store a copy */
	size_t mft_len;
	struct crl *crl;
	char *crl_uri;
	unsigned char *crl_der;
	size_t crl_len;
	struct pp_file *files;
	size_t num_files;
};

/* A set of strings, for SKIs and repositories already seen. */
struct strset {
	char **slots;
	size_t cap, len;
};

struct walk {
	const struct validate_config *cfg;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct ca_item *head; /* a stack: see push_item() */
	size_t busy;	      /* items taken and not yet finished */
	bool oom;
	struct strset seen; /* "ta:SKI" and "repo:TA:PREFIX", under lock */
	size_t *repos;	    /* repositories per TA, under lock */
	struct validate_stats stats;
};

struct worker {
	struct walk *w;
	OSSL_LIB_CTX *libctx; /* the thread's own; see worker_libctx() */
	struct vrpset *set;   /* this thread's payloads, merged at the end */
	struct validate_stats stats;
	pthread_t thread;
};

const char *const validate_kind_names[VALIDATE_KINDS] = {"roa", "aspa", "cert"};
const char *const validate_reason_names[VALIDATE_REASONS] = {"object", "issuer",
							     "content"};

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* Adds s; 1 if it was new, 0 if present, -1 on ENOMEM. */
static int
strset_add(struct strset *set, const char *s)
{
	size_t i;

	if (set->len * 2 >= set->cap) {
		struct strset grown = {0};

		grown.cap = set->cap ? set->cap * 2 : 1024;
		grown.slots = calloc(grown.cap, sizeof(*grown.slots));
		if (grown.slots == NULL)
			return -1;
		for (i = 0; i < set->cap; i++) {
			size_t j;

			if (set->slots[i] == NULL)
				continue;
			j = hash_str(set->slots[i]) & (grown.cap - 1);
			while (grown.slots[j] != NULL)
				j = (j + 1) & (grown.cap - 1);
			grown.slots[j] = set->slots[i];
		}
		grown.len = set->len;
		free(set->slots);
		*set = grown;
	}
	for (i = hash_str(s) & (set->cap - 1); set->slots[i] != NULL;
	     i = (i + 1) & (set->cap - 1))
		if (strcmp(set->slots[i], s) == 0)
			return 0;
	if ((set->slots[i] = strdup(s)) == NULL)
		return -1;
	set->len++;
	return 1;
}

/* True if s is in set. */
static bool
strset_has(const struct strset *set, const char *s)
{
	size_t i;

	if (set->cap == 0)
		return false;
	for (i = hash_str(s) & (set->cap - 1); set->slots[i] != NULL;
	     i = (i + 1) & (set->cap - 1))
		if (strcmp(set->slots[i], s) == 0)
			return true;
	return false;
}

static void
strset_clear(struct strset *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}

static void
item_free(struct ca_item *it)
{
	if (it == NULL)
		return;
	cert_free(it->cert);
	resources_clear(&it->eff);
	free(it->uri);
	free(it->path);
	free(it);
}

static void
pubpoint_clear(struct pubpoint *pp)
{
	size_t i;

	for (i = 0; i < pp->num_files; i++) {
		free(pp->files[i].uri);
		free(pp->files[i].data);
	}
	free(pp->files);
	free(pp->mft_der);
	free(pp->crl_der);
	free(pp->crl_uri);
	crl_free(pp->crl);
	mft_free(pp->mft);
	memset(pp, 0, sizeof(*pp));
}

/*
 * Pushes on the front: the walk goes depth first, so the queue holds at
 * most depth x fan-out CAs, not a whole level of the tree (50,000 CA
 * certificates at once, on the global RPKI).
 */
static void
push_item(struct walk *w, struct ca_item *it)
{
	pthread_mutex_lock(&w->lock);
	it->next = w->head;
	w->head = it;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static void
set_oom(struct walk *w)
{
	pthread_mutex_lock(&w->lock);
	w->oom = true;
	pthread_mutex_unlock(&w->lock);
}

/* Tells the caller's observer, if any, what became of uri. */
static void
decided(const struct walk *w, const char *uri, bool valid)
{
	if (w->cfg->on_object != NULL)
		w->cfg->on_object(w->cfg->on_object_arg, uri, valid);
}

/* uri names a file directly inside the directory dir (which ends in /). */
static bool
in_dir(const char *uri, const char *dir)
{
	size_t len = strlen(dir);

	return strncmp(uri, dir, len) == 0 && uri[len] != '\0' &&
	    strchr(uri + len, '/') == NULL;
}

static char *
join_uri(const char *dir, const char *name)
{
	char *uri;

	if (asprintf(&uri, "%s%s", dir, name) == -1)
		return NULL;
	return uri;
}

/*
 * Checks a certificate issued by the CA of it against it: the key that
 * signed it, validity at the evaluation time, the CRL, the pointers back to
 * the issuer, and its resources, which are resolved into eff.
 */
static bool
check_issued(struct walk *w, const struct ca_item *it,
	     const struct pubpoint *pp, const struct cert *c, const char *uri,
	     struct resources *eff)
{
	time_t now = w->cfg->now;

	if (!c->has_aki || memcmp(c->aki, it->cert->ski, sizeof(c->aki)) != 0) {
		log_warnx("%s: AKI is not the issuer's SKI (RFC 6487 s.4.8.3)",
			  uri);
		return false;
	}
	if (X509_verify(c->x509, X509_get0_pubkey(it->cert->x509)) != 1) {
		log_warnx("%s: signature does not verify with the issuer's "
			  "key (RFC 6487 s.7.2)",
			  uri);
		return false;
	}
	if (now < c->not_before) {
		log_warnx("%s: certificate is not yet valid (RFC 6487 s.4.6)",
			  uri);
		return false;
	}
	if (now > c->not_after) {
		log_warnx("%s: certificate has expired (RFC 6487 s.4.6)", uri);
		return false;
	}
	if (c->crldp == NULL || strcmp(c->crldp, pp->crl_uri) != 0) {
		log_warnx("%s: CRL distribution point is not the issuer's CRL "
			  "%s (RFC 6487 s.4.8.6)",
			  uri, pp->crl_uri);
		return false;
	}
	if (c->aia == NULL || strcmp(c->aia, it->uri) != 0) {
		log_warnx("%s: AIA does not name the issuer's certificate %s "
			  "(RFC 6487 s.4.8.7)",
			  uri, it->uri);
		return false;
	}
	if (crl_revoked(pp->crl, c->x509)) {
		log_warnx("%s: certificate is revoked (RFC 6487 s.5)", uri);
		return false;
	}
	if (!resources_copy(eff, &c->res)) {
		set_oom(w);
		return false;
	}
	if (!resources_inherit_and_check(eff, &it->eff, uri)) {
		resources_clear(eff);
		return false;
	}
	return true;
}

/* An EE already parsed against its object: its SIA and its issuer. */
static bool
ee_valid(struct walk *w, const struct ca_item *it, const struct pubpoint *pp,
	 const struct cert *ee, const char *uri, struct resources *eff)
{
	if (ee->signed_object == NULL || strcmp(ee->signed_object, uri) != 0) {
		log_warnx("%s: EE signedObject SIA does not name this object "
			  "(RFC 6487 s.4.8.8.2)",
			  uri);
		return false;
	}
	return check_issued(w, it, pp, ee, uri, eff);
}

/* The EE of a signed object: its profile, its issuer, its SIA. */
static struct cert *
check_ee(struct walk *w, const struct ca_item *it, const struct pubpoint *pp,
	 X509 *x, const char *uri, struct resources *eff)
{
	struct cert *ee = cert_from_ee(uri, x);

	if (ee != NULL && !ee_valid(w, it, pp, ee, uri, eff)) {
		cert_free(ee);
		return NULL;
	}
	return ee;
}

static bool
check_crl(struct walk *w, const struct ca_item *it, struct crl *crl,
	  const char *uri)
{
	if (memcmp(crl->aki, it->cert->ski, sizeof(crl->aki)) != 0) {
		log_warnx("%s: CRL AKI is not the issuer's SKI (RFC 6487 s.5)",
			  uri);
		return false;
	}
	if (X509_CRL_verify(crl->x509_crl, X509_get0_pubkey(it->cert->x509)) !=
	    1) {
		log_warnx("%s: CRL signature does not verify (RFC 6487 s.5)",
			  uri);
		return false;
	}
	if (w->cfg->now < crl->this_update) {
		log_warnx("%s: CRL thisUpdate is in the future (RFC 9286 "
			  "s.6.4)",
			  uri);
		return false;
	}
	if (w->cfg->now > crl->next_update) {
		log_warnx("%s: CRL is stale, nextUpdate has passed "
			  "(RFC 9286 s.6.4)",
			  uri);
		return false;
	}
	return true;
}

static bool
file_has_ext(const char *name, const char *ext)
{
	size_t len = strlen(name);

	return len > 4 && strcmp(name + len - 4, ext) == 0;
}

/* What became of a publication point loaded for a CA. */
enum pp_result {
	PP_OK,
	PP_FAILED,   /* logged */
	PP_NOT_OURS, /* its manifest names another certificate as issuer */
};

/*
 * The manifest of a CA certificate's publication point was issued under
 * another certificate of the same key (its EE's AIA, RFC 6487 s.4.8.7).
 * Issuing a certificate for someone's public key takes no secret, so the
 * point is not this certificate's: it is left to the one it names rather
 * than failed (which would fall back to the kept copy and count it as a
 * failure), and no CA certificate can take another's place by being met
 * first. A certificate copied nine times over nine levels costs nine
 * manifest reads per level, not nine to the ninth walks.
 */
static bool
mft_not_ours(const struct ca_item *it, const struct cert *ee,
	     const char *mft_uri)
{
	bool other = ee->aia != NULL && strcmp(ee->aia, it->uri) != 0 &&
	    ee->has_aki && memcmp(ee->aki, it->cert->ski, sizeof(ee->aki)) == 0;
	if (other)
		log_warnx("%s: its publication point's manifest %s names %s as "
			  "its issuer (RFC 6487 s.4.8.7): this certificate of "
			  "the same key is not used",
			  it->uri, mft_uri, ee->aia);
	return other;
}

/*
 * Loads and checks the manifest and CRL of it, and reads every listed file
 * with its hash checked. PP_FAILED, logged, if the point fails as a whole.
 */
static enum pp_result
pubpoint_load(struct walk *w, struct worker *wk, const struct ca_item *it,
	      const char *root, struct pubpoint *pp)
{
	const char *mft_uri = it->cert->mft, *repo = it->cert->repo;
	struct resources ee_eff = {0};
	unsigned char *data = NULL, digest[SHA256_DIGEST_LENGTH];
	struct cert *ee = NULL;
	const struct mft_file *crl_entry = NULL;
	size_t len, i, ncrl = 0;
	enum pp_result r = PP_FAILED;

	if (!in_dir(mft_uri, repo)) {
		log_warnx("%s: manifest is not in the CA's repository %s "
			  "(RFC 6487 s.4.8.8.1)",
			  mft_uri, repo);
		return PP_FAILED;
	}
	wk->stats.objects++;
	pp->root = root;
	if ((data = mirror_read(root, mft_uri, &len)) == NULL) {
		log_warnx("%s: manifest is missing (RFC 9286 s.6.2)", mft_uri);
		return PP_FAILED;
	}
	pp->mft = mft_parse(mft_uri, data, len);
	pp->mft_der = data;
	pp->mft_len = len;
	if (pp->mft == NULL ||
	    (ee = cert_from_ee(mft_uri, pp->mft->so->ee)) == NULL)
		return PP_FAILED;
	if (mft_not_ours(it, ee, mft_uri)) {
		r = PP_NOT_OURS;
		goto out;
	}

	/* Staleness first: it is what an operator must hear about. */
	if (w->cfg->now < pp->mft->this_update) {
		log_warnx("%s: manifest thisUpdate is in the future "
			  "(RFC 9286 s.6.3)",
			  mft_uri);
		goto out;
	}
	if (w->cfg->now > pp->mft->next_update) {
		log_warnx("%s: manifest is stale, nextUpdate has passed "
			  "(RFC 9286 s.6.3)",
			  mft_uri);
		goto out;
	}

	/* RFC 9286 s.6.4: exactly one CRL, the one the CA's EEs point to. */
	for (i = 0; i < pp->mft->num_files; i++) {
		if (file_has_ext(pp->mft->files[i].name, ".crl")) {
			crl_entry = &pp->mft->files[i];
			ncrl++;
		}
	}
	if (ncrl != 1) {
		log_warnx("%s: manifest lists %zu CRLs, not one (RFC 9286 "
			  "s.6.4)",
			  mft_uri, ncrl);
		goto out;
	}
	if ((pp->crl_uri = join_uri(repo, crl_entry->name)) == NULL) {
		set_oom(w);
		goto out;
	}
	wk->stats.objects++;
	if ((data = mirror_read(root, pp->crl_uri, &len)) == NULL) {
		log_warnx("%s: CRL listed on the manifest is missing "
			  "(RFC 9286 s.6.4)",
			  pp->crl_uri);
		goto out;
	}
	SHA256(data, len, digest);
	if (memcmp(digest, crl_entry->hash, sizeof(digest)) != 0) {
		log_warnx("%s: CRL does not match its manifest hash "
			  "(RFC 9286 s.6.5)",
			  pp->crl_uri);
		free(data);
		goto out;
	}
	pp->crl = crl_parse(pp->crl_uri, data, len);
	pp->crl_der = data;
	pp->crl_len = len;
	if (pp->crl == NULL || !check_crl(w, it, pp->crl, pp->crl_uri))
		goto out;

	if (!ee_valid(w, it, pp, ee, mft_uri, &ee_eff))
		goto out;

	pp->files = calloc(pp->mft->num_files ? pp->mft->num_files : 1,
			   sizeof(*pp->files));
	if (pp->files == NULL) {
		set_oom(w);
		goto out;
	}
	for (i = 0; i < pp->mft->num_files; i++) {
		const struct mft_file *mf = &pp->mft->files[i];
		struct pp_file *f = &pp->files[pp->num_files];

		if (mf == crl_entry)
			continue;
		f->name = mf->name;
		if ((f->uri = join_uri(repo, mf->name)) == NULL) {
			set_oom(w);
			goto out;
		}
		pp->num_files++;
		wk->stats.objects++;
		f->data = mirror_read(root, f->uri, &f->len);
		if (f->data == NULL) {
			log_warnx("%s: file listed on the manifest is missing "
				  "(RFC 9286 s.6.4)",
				  f->uri);
			goto out;
		}
		SHA256(f->data, f->len, digest);
		if (memcmp(digest, mf->hash, sizeof(digest)) != 0) {
			log_warnx("%s: file does not match its manifest hash "
				  "(RFC 9286 s.6.5)",
				  f->uri);
			goto out;
		}
	}
	r = PP_OK;
out:
	resources_clear(&ee_eff);
	cert_free(ee);
	return r;
}

static void
add_roa(struct walk *w, struct worker *wk, const struct ca_item *it,
	const struct pubpoint *pp, const struct pp_file *f)
{
	enum validate_reason why = VALIDATE_OBJECT;
	struct resources eff = {0};
	struct cert *ee = NULL;
	struct roa *roa;
	size_t i;

	if ((roa = roa_parse(f->uri, f->data, f->len)) == NULL)
		goto reject;
	why = VALIDATE_ISSUER;
	if ((ee = check_ee(w, it, pp, roa->so->ee, f->uri, &eff)) == NULL)
		goto reject;
	why = VALIDATE_CONTENT;
	if (ee->res.has_as) {
		log_warnx("%s: ROA EE certificate carries AS resources "
			  "(RFC 9582 s.5)",
			  f->uri);
		goto reject;
	}
	for (i = 0; i < roa->num_prefixes; i++) {
		const struct roa_prefix *p = &roa->prefixes[i];

		if (!resources_contains_prefix(&eff, p->afi, p->addr,
					       p->prefixlen)) {
			log_warnx("%s: prefix %zu is not in the EE "
				  "certificate's resources (RFC 9582 s.5)",
				  f->uri, i + 1);
			goto reject;
		}
	}
	for (i = 0; i < roa->num_prefixes; i++) {
		const struct roa_prefix *p = &roa->prefixes[i];
		struct vrp v = {0};

		memcpy(v.addr, p->addr, sizeof(v.addr));
		v.asn = roa->asid;
		v.afi = p->afi;
		v.prefixlen = p->prefixlen;
		v.maxlen = p->maxlen;
		v.ta = it->ta;
		if (!vrpset_add_vrp(wk->set, &v))
			set_oom(w);
	}
	decided(w, f->uri, true);
	goto out;
reject:
	wk->stats.objects_rejected++;
	wk->stats.rejected[VALIDATE_ROA][why]++;
	decided(w, f->uri, false);
out:
	resources_clear(&eff);
	cert_free(ee);
	roa_free(roa);
}

static void
add_aspa(struct walk *w, struct worker *wk, const struct ca_item *it,
	 const struct pubpoint *pp, const struct pp_file *f)
{
	enum validate_reason why = VALIDATE_OBJECT;
	struct resources eff = {0};
	struct cert *ee = NULL;
	struct aspa *aspa;

	if ((aspa = aspa_parse(f->uri, f->data, f->len)) == NULL)
		goto reject;
	why = VALIDATE_ISSUER;
	if ((ee = check_ee(w, it, pp, aspa->so->ee, f->uri, &eff)) == NULL)
		goto reject;
	why = VALIDATE_CONTENT;
	/* The EE speaks for the customer AS and nothing else. */
	if (ee->res.has_ip || eff.as_len != 1 ||
	    eff.as[0].min != aspa->customer ||
	    eff.as[0].max != aspa->customer) {
		log_warnx("%s: EE certificate resources are not exactly the "
			  "customer AS%u (ASPA profile s.4)",
			  f->uri, aspa->customer);
		goto reject;
	}
	if (!vrpset_add_vap(wk->set, it->ta, aspa->customer, aspa->providers,
			    aspa->num_providers))
		set_oom(w);
	decided(w, f->uri, true);
	goto out;
reject:
	wk->stats.objects_rejected++;
	wk->stats.rejected[VALIDATE_ASPA][why]++;
	decided(w, f->uri, false);
out:
	resources_clear(&eff);
	cert_free(ee);
	aspa_free(aspa);
}

/* A router certificate: one key for each AS it speaks for (RFC 8209). */
static bool
add_router(struct walk *w, struct worker *wk, const struct ca_item *it,
	   const struct cert *c, const struct resources *eff, const char *uri)
{
	size_t i, count = 0;
	uint64_t asn;

	if (c->res.has_ip) {
		log_warnx("%s: router certificate carries IP resources "
			  "(RFC 8209 s.3.1.3.4)",
			  uri);
		return false;
	}
	for (i = 0; i < eff->as_len; i++)
		count += (size_t)eff->as[i].max - eff->as[i].min + 1;
	if (count == 0 || count > MAX_ROUTER_ASNS) {
		log_warnx("%s: router certificate names %zu ASes, allowed 1 to "
			  "%d",
			  uri, count, MAX_ROUTER_ASNS);
		return false;
	}
	for (i = 0; i < eff->as_len; i++)
		for (asn = eff->as[i].min; asn <= eff->as[i].max; asn++)
			if (!vrpset_add_key(wk->set, it->ta, (uint32_t)asn,
					    c->ski, c->spki, c->spki_len))
				set_oom(w);
	return true;
}

static void
ta_key(char *key, const unsigned char *ski)
{
	size_t i;

	strcpy(key, "ta:");
	for (i = 0; i < SHA_DIGEST_LENGTH; i++)
		snprintf(key + 3 + 2 * i, 3, "%02X", ski[i]);
}

/*
 * Counts repository prefix (an rsync module) for TA ta, under w->lock
 * once the walk runs: 1 if it is counted, now or before; 0 if it would be
 * one more than --max-repos; -1 on ENOMEM. A refused repository stays
 * uncounted, so that every CA naming it is refused, not only the first.
 */
static int
use_repo(struct walk *w, unsigned ta, const char *prefix)
{
	char *rkey;
	int r;

	if (asprintf(&rkey, "repo:%u:%s", ta, prefix) == -1)
		return -1;
	if (strset_has(&w->seen, rkey))
		r = 1;
	else if (w->repos[ta] >= rp_limits.repos_per_ta)
		r = 0;
	else if ((r = strset_add(&w->seen, rkey)) == 1)
		w->repos[ta]++;
	free(rkey);
	return r;
}

/*
 * Registers a new CA; false, logged, if its key is one of its own
 * ancestors' or it breaks a limit. Other certificates of the same key
 * are not refused here: their manifests tell which one is the issuer.
 */
static bool
admit_ca(struct walk *w, const struct ca_item *parent, const struct cert *c,
	 const char *uri)
{
	char prefix[MAX_URI_LENGTH + 1];
	int i, r;

	if (parent->depth + 1 > w->cfg->max_depth) {
		log_warnx("%s: CA is more than %d certificates below its TA",
			  uri, w->cfg->max_depth);
		return false;
	}
	if (!in_dir(c->mft, c->repo)) {
		log_warnx("%s: manifest %s is not in the CA's repository "
			  "(RFC 6487 s.4.8.8.1)",
			  uri, c->mft);
		return false;
	}
	if (!mirror_module(c->repo, prefix, sizeof(prefix))) {
		log_warnx("%s: caRepository %s names no rsync module", uri,
			  c->repo);
		return false;
	}
	for (i = 0; i <= parent->depth; i++) {
		if (memcmp(parent->path[i], c->ski, SHA_DIGEST_LENGTH) == 0) {
			log_warnx("%s: a CA certificate above it has this SKI: "
				  "a loop (RFC 6487 s.4.8.2)",
				  uri);
			return false;
		}
	}
	pthread_mutex_lock(&w->lock);
	if ((r = use_repo(w, parent->ta, prefix)) == 0) {
		pthread_mutex_unlock(&w->lock);
		log_warnx("%s: trust anchor uses more than %zu repositories",
			  uri, rp_limits.repos_per_ta);
		return false;
	}
	if (r == -1)
		w->oom = true;
	pthread_mutex_unlock(&w->lock);
	return r != -1;
}

static void
add_cert(struct walk *w, struct worker *wk, const struct ca_item *it,
	 const struct pubpoint *pp, const struct pp_file *f)
{
	enum validate_reason why = VALIDATE_OBJECT;
	struct resources eff = {0};
	struct ca_item *child;
	struct cert *c;

	if ((c = cert_parse(f->uri, f->data, f->len)) == NULL)
		goto reject;
	why = VALIDATE_ISSUER;
	if (!check_issued(w, it, pp, c, f->uri, &eff))
		goto reject;
	why = VALIDATE_CONTENT;
	if (c->kind == CERT_ROUTER) {
		if (!add_router(w, wk, it, c, &eff, f->uri))
			goto reject;
		decided(w, f->uri, true);
		goto out;
	}
	if (!admit_ca(w, it, c, f->uri))
		goto reject;
	if ((child = calloc(1, sizeof(*child))) == NULL ||
	    (child->uri = strdup(f->uri)) == NULL) {
		free(child);
		set_oom(w);
		goto out;
	}
	if ((child->path =
		 calloc((size_t)it->depth + 2, sizeof(*child->path))) == NULL) {
		item_free(child);
		set_oom(w);
		goto out;
	}
	memcpy(child->path, it->path,
	       ((size_t)it->depth + 1) * sizeof(*it->path));
	memcpy(child->path[it->depth + 1], c->ski, SHA_DIGEST_LENGTH);
	child->cert = c;
	child->eff = eff;
	child->depth = it->depth + 1;
	child->ta = it->ta;
	decided(w, f->uri, true);
	push_item(w, child);
	return;
reject:
	wk->stats.objects_rejected++;
	wk->stats.rejected[VALIDATE_CERT][why]++;
	decided(w, f->uri, false);
out:
	resources_clear(&eff);
	cert_free(c);
}

/* Object types the engine recognises but has no use for (RFC 6493 GBR,
 * RFC 9323 RSC, RFC 9691 TAK, signed prefix lists). */
static bool
ignored_type(const char *name)
{
	static const char *const exts[] = {".gbr", ".sig", ".tak", ".spl",
					   ".mft"};
	size_t i;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (file_has_ext(name, exts[i]))
			return true;
	return false;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct unlisted {
	const char **names; /* the manifest's, sorted */
	size_t num_names;
	const char *repo;
	const char *mft_name;
};

static void
log_if_unlisted(void *arg, const char *name)
{
	const struct unlisted *u = arg;

	if (strcmp(name, u->mft_name) == 0 ||
	    bsearch(&name, u->names, u->num_names, sizeof(*u->names),
		    cmp_name) != NULL)
		return;
	log_warnx("%s%s: not listed on the manifest, ignored "
		  "(RFC 9286 s.6.4)",
		  u->repo, name);
}

/*
 * RFC 9286 s.6.4: a file the manifest does not list is not used. It is
 * logged, since it usually means a publisher's mistake.
 */
static void
log_unlisted(const struct ca_item *it, const struct pubpoint *pp)
{
	struct unlisted u = {0};
	size_t i;

	u.names = calloc(pp->mft->num_files + 1, sizeof(*u.names));
	if (u.names == NULL)
		return;
	for (i = 0; i < pp->mft->num_files; i++)
		u.names[i] = pp->mft->files[i].name;
	u.num_names = pp->mft->num_files;
	qsort(u.names, u.num_names, sizeof(*u.names), cmp_name);
	u.repo = it->cert->repo;
	u.mft_name = it->cert->mft + strlen(it->cert->repo);
	mirror_list(pp->root, it->cert->repo, log_if_unlisted, &u);
	free(u.names);
}

/*
 * Keeps one file of pp. A tree vrpd fetched itself is never written in
 * place, so a hard link is a safe copy; a --mirror is someone else's, so
 * its bytes are written.
 */
static bool
keep_file(struct walk *w, const struct pubpoint *pp, const char *uri,
	  const unsigned char *data, size_t len)
{
	if (w->cfg->repo_root != NULL &&
	    lkg_link(w->cfg->lkg_dir, uri, pp->root))
		return true;
	return lkg_store(w->cfg->lkg_dir, uri, data, len);
}

/* Stores the files of pp, a point that validated, as its kept copy. */
static void
pubpoint_keep(struct walk *w, const struct ca_item *it,
	      const struct pubpoint *pp)
{
	size_t i;
	bool ok = true;

	for (i = 0; ok && i < pp->num_files; i++)
		ok = keep_file(w, pp, pp->files[i].uri, pp->files[i].data,
			       pp->files[i].len);
	/* The manifest last: until it is replaced, the old copy stands. */
	if (ok && keep_file(w, pp, pp->crl_uri, pp->crl_der, pp->crl_len))
		keep_file(w, pp, it->cert->mft, pp->mft_der, pp->mft_len);
}

/*
 * RFC 9286 s.6.6: the point failed, so its last valid copy is used, if
 * there is one and it is still current. PP_FAILED if not.
 */
static enum pp_result
pubpoint_use_kept(struct walk *w, struct worker *wk, const struct ca_item *it,
		  struct pubpoint *pp)
{
	unsigned char *probe;
	enum pp_result r;
	size_t len;

	if (w->cfg->lkg_dir == NULL ||
	    (probe = mirror_read(w->cfg->lkg_dir, it->cert->mft, &len)) == NULL)
		return PP_FAILED;
	free(probe);
	log_info("%s: using the last valid copy of the publication point "
		 "(RFC 9286 s.6.6)",
		 it->cert->mft);
	if ((r = pubpoint_load(w, wk, it, w->cfg->lkg_dir, pp)) == PP_OK) {
		wk->stats.pubpoints_kept++;
		return PP_OK;
	}
	pubpoint_clear(pp);
	return r;
}

/*
 * The point as published, if it validates and does not go back behind the
 * copy kept last time (RFC 9286 s.4.2.1); the copy is refreshed with it.
 */
static enum pp_result
pubpoint_use_current(struct walk *w, struct worker *wk,
		     const struct ca_item *it, struct pubpoint *pp)
{
	const char *dir = w->cfg->lkg_dir, *root = w->cfg->mirror;
	enum pp_result r;
	bool same = false;

	if (w->cfg->repo_root != NULL &&
	    (root = w->cfg->repo_root(w->cfg->repo_arg, it->cert)) == NULL) {
		log_warnx("%s: no copy of the repository %s", it->cert->mft,
			  it->cert->repo);
		return PP_FAILED;
	}
	if ((r = pubpoint_load(w, wk, it, root, pp)) != PP_OK)
		return r;
	if (dir != NULL &&
	    !lkg_mft_newer(dir, it->cert->mft, pp->mft_der, pp->mft_len,
			   pp->mft, &same))
		return PP_FAILED;
	if (dir != NULL && !same)
		pubpoint_keep(w, it, pp);
	log_unlisted(it, pp);
	return PP_OK;
}

static void
process_ca(struct walk *w, struct worker *wk, const struct ca_item *it)
{
	struct pubpoint pp = {0};
	size_t i;

	enum pp_result cur, kept;

	if ((cur = pubpoint_use_current(w, wk, it, &pp)) != PP_OK) {
		pubpoint_clear(&pp);
		/* A manifest that names another issuer now may have named
		 * this certificate when it was kept. */
		kept = pubpoint_use_kept(w, wk, it, &pp);
		if (kept == PP_NOT_OURS ||
		    (kept == PP_FAILED && cur == PP_NOT_OURS)) {
			wk->stats.objects_rejected++;
			wk->stats.rejected[VALIDATE_CERT][VALIDATE_CONTENT]++;
			decided(w, it->uri, false);
			return;
		}
		if (kept != PP_OK) {
			wk->stats.pubpoints++;
			log_warnx("%s: publication point %s of %s failed, "
				  "nothing from it is used (RFC 9286 s.6.6)",
				  it->cert->mft, it->cert->repo, it->uri);
			wk->stats.pubpoints_failed++;
			decided(w, it->cert->mft, false);
			return;
		}
	}
	wk->stats.pubpoints++;
	decided(w, it->cert->mft, true);
	decided(w, pp.crl_uri, true);
	for (i = 0; i < pp.num_files; i++) {
		const struct pp_file *f = &pp.files[i];

		if (file_has_ext(f->name, ".cer"))
			add_cert(w, wk, it, &pp, f);
		else if (file_has_ext(f->name, ".roa"))
			add_roa(w, wk, it, &pp, f);
		else if (file_has_ext(f->name, ".asa"))
			add_aspa(w, wk, it, &pp, f);
		else if (!ignored_type(f->name))
			log_debug("%s: unknown object type, ignored", f->uri);
	}
	pubpoint_clear(&pp);
}

/*
 * OpenSSL 3.0 decodes every certificate's key through its provider stores,
 * taking read locks shared by all threads: with one library context, the
 * threads spend a third of their time bouncing those locks' cache lines.
 * Each worker slot gets a context of its own instead, made once and kept
 * for the life of the process, so that later runs reuse its caches (and
 * because 3.0 leaks when a used context is freed).
 */
static OSSL_LIB_CTX *
worker_libctx(size_t slot)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static OSSL_LIB_CTX **ctxs;
	static size_t num_ctxs;
	OSSL_LIB_CTX *ctx = NULL;

	pthread_mutex_lock(&lock);
	if (slot >= num_ctxs) {
		OSSL_LIB_CTX **grown =
		    realloc(ctxs, (slot + 1) * sizeof(*ctxs));

		if (grown != NULL) {
			for (; num_ctxs <= slot; num_ctxs++)
				grown[num_ctxs] = NULL;
			ctxs = grown;
		}
	}
	if (slot < num_ctxs) {
		if (ctxs[slot] == NULL)
			ctxs[slot] = OSSL_LIB_CTX_new();
		ctx = ctxs[slot];
	}
	pthread_mutex_unlock(&lock);
	return ctx;
}

static void *
worker_main(void *arg)
{
	struct worker *wk = arg;
	struct walk *w = wk->w;
	struct ca_item *it;

	if (wk->libctx != NULL)
		OSSL_LIB_CTX_set0_default(wk->libctx);
	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (w->head == NULL && w->busy > 0 && !w->oom)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->head == NULL || w->oom) {
			pthread_cond_broadcast(&w->cond);
			pthread_mutex_unlock(&w->lock);
			return NULL;
		}
		it = w->head;
		w->head = it->next;
		w->busy++;
		pthread_mutex_unlock(&w->lock);

		process_ca(w, wk, it);
		item_free(it);

		pthread_mutex_lock(&w->lock);
		w->busy--;
		if (w->head == NULL && w->busy == 0)
			pthread_cond_broadcast(&w->cond);
		pthread_mutex_unlock(&w->lock);
	}
}

/*
 * The TA certificate from the first TAL URI the mirror holds, rsync URIs
 * first: a mirror is laid out by rsync URI, and the children's AIA names
 * the TA by its rsync URI.
 */
/*
 * The URI the TA's children name in their AIA: its rsync URI from the TAL
 * (RFC 6487 s.4.8.7), wherever the certificate was read from.
 */
static const char *
ta_name_uri(const struct tal *tal, const char *read_from)
{
	size_t i;

	if (strncmp(read_from, "rsync://", 8) == 0)
		return read_from;
	for (i = 0; i < tal->num_uris; i++)
		if (strncmp(tal->uris[i], "rsync://", 8) == 0)
			return tal->uris[i];
	return read_from;
}

static struct ca_item *
load_ta(struct walk *w, const struct tal *tal, uint8_t ta)
{
	char key[2 * SHA_DIGEST_LENGTH + 8], prefix[MAX_URI_LENGTH + 1];
	struct ca_item *it = NULL;
	struct cert *c = NULL;
	unsigned char *data;
	const char *uri = NULL;
	size_t i, len;
	int r;

	for (i = 0; i < 2 * tal->num_uris && c == NULL; i++) {
		uri = tal->uris[i % tal->num_uris];
		if ((strncmp(uri, "rsync://", 8) == 0) != (i < tal->num_uris))
			continue;
		if ((data =
			 mirror_read(w->cfg->ta_root != NULL ? w->cfg->ta_root
							     : w->cfg->mirror,
				     uri, &len)) == NULL)
			continue;
		c = cert_parse(uri, data, len);
		free(data);
		if (c != NULL && !cert_check_ta(c, uri, tal->pkey)) {
			cert_free(c);
			c = NULL;
		}
	}
	if (c == NULL) {
		log_warnx("%s: no valid trust anchor certificate at any of the "
			  "TAL's URIs",
			  tal->name);
		for (i = 0; i < tal->num_uris; i++)
			decided(w, tal->uris[i], false);
		return NULL;
	}
	if (w->cfg->now < c->not_before || w->cfg->now > c->not_after) {
		log_warnx("%s: trust anchor certificate is not valid now "
			  "(RFC 6487 s.4.6)",
			  uri);
		decided(w, uri, false);
		cert_free(c);
		return NULL;
	}
	ta_key(key, c->ski);
	if ((r = strset_add(&w->seen, key)) == 0) {
		log_warnx("%s: another trust anchor has this SKI", uri);
		decided(w, uri, false);
		cert_free(c);
		return NULL;
	}
	/* The TA's own repository is the first of the --max-repos its tree
	 * may use (never refused: the limit is at least 1). */
	if (r == 1 && w->repos != NULL &&
	    mirror_module(c->repo, prefix, sizeof(prefix)))
		r = use_repo(w, ta, prefix);
	if (r == -1 || (it = calloc(1, sizeof(*it))) == NULL ||
	    (it->uri = strdup(ta_name_uri(tal, uri))) == NULL ||
	    !resources_copy(&it->eff, &c->res)) {
		cert_free(c);
		item_free(it);
		set_oom(w);
		return NULL;
	}
	if ((it->path = calloc(1, sizeof(*it->path))) == NULL) {
		item_free(it);
		set_oom(w);
		return NULL;
	}
	memcpy(it->path[0], c->ski, SHA_DIGEST_LENGTH);
	it->cert = c;
	it->ta = ta;
	decided(w, uri, true);
	return it;
}

static struct vrpset *
set_like(struct tal *const *tals, size_t num_tals)
{
	struct vrpset *set = vrpset_new();
	size_t i;

	for (i = 0; set != NULL && i < num_tals; i++) {
		if (vrpset_add_ta(set, tals[i]->name) < 0) {
			vrpset_free(set);
			set = NULL;
		}
	}
	return set;
}

static void
stats_add(struct validate_stats *dst, const struct validate_stats *src)
{
	dst->pubpoints += src->pubpoints;
	dst->pubpoints_failed += src->pubpoints_failed;
	dst->pubpoints_kept += src->pubpoints_kept;
	dst->objects += src->objects;
	dst->objects_rejected += src->objects_rejected;
	for (size_t k = 0; k < VALIDATE_KINDS; k++)
		for (size_t r = 0; r < VALIDATE_REASONS; r++)
			dst->rejected[k][r] += src->rejected[k][r];
}

bool
validate_run(const struct validate_config *cfg, struct tal *const *tals,
	     size_t num_tals, struct vrpset *set, struct validate_stats *stats)
{
	struct walk w = {0};
	struct worker *workers;
	struct ca_item *it;
	size_t i, started = 0;
	int jobs = cfg->jobs > 0 ? cfg->jobs : 1;
	bool ok;

	if (num_tals > MAX_TAS) {
		log_warnx("%zu trust anchors, more than the %d allowed",
			  num_tals, MAX_TAS);
		return false;
	}
	w.cfg = cfg;
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);
	workers = calloc((size_t)jobs, sizeof(*workers));
	w.repos = calloc(num_tals ? num_tals : 1, sizeof(*w.repos));
	for (i = 0; i < num_tals; i++)
		if (vrpset_add_ta(set, tals[i]->name) != (int)i)
			w.oom = true;
	for (i = 0; i < num_tals && !w.oom; i++) {
		if ((it = load_ta(&w, tals[i], (uint8_t)i)) == NULL) {
			w.stats.tas_failed++;
			continue;
		}
		w.stats.tas++;
		push_item(&w, it);
	}
	for (i = 0; workers != NULL && w.repos != NULL && i < (size_t)jobs;
	     i++) {
		workers[i].w = &w;
		workers[i].libctx = worker_libctx(i);
		if ((workers[i].set = set_like(tals, num_tals)) == NULL)
			break;
		if (pthread_create(&workers[i].thread, NULL, worker_main,
				   &workers[i]) != 0) {
			vrpset_free(workers[i].set);
			break;
		}
		started++;
	}
	if (started == 0) {
		log_warnx("cannot start validation threads");
		w.oom = true;
	}
	for (i = 0; i < started; i++) {
		pthread_join(workers[i].thread, NULL);
		stats_add(&w.stats, &workers[i].stats);
		if (!vrpset_merge(set, workers[i].set))
			w.oom = true;
		vrpset_free(workers[i].set);
	}
	while ((it = w.head) != NULL) {
		w.head = it->next;
		item_free(it);
	}
	ok = !w.oom;
	if (!ok)
		log_warnx("validation stopped: out of memory");
	*stats = w.stats;
	strset_clear(&w.seen);
	free(w.repos);
	free(workers);
	pthread_cond_destroy(&w.cond);
	pthread_mutex_destroy(&w.lock);
	return ok;
}
