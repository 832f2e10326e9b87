/*
 * vrpctl inspect: any RPKI object file decoded and printed for a person or
 * a program, with the errors its parser found, and optionally its verdict
 * in context (its chain up to the TA, its issuer's CRL, the manifest that
 * lists it), the way rpki-client -f answers "why is my ROA missing?".
 */
#ifndef VRPD_INSPECT_H
#define VRPD_INSPECT_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "tal.h"

enum inspect_format {
	INSPECT_TEXT, /* "label:  value" lines, one blank line between files */
	INSPECT_JSON, /* one JSON object per file, each on one line */
};

/* What one validation run decided about every object it met. */
struct inspect_ctx;

/*
 * Validates the trees of tals from the local mirror at now, with jobs
 * threads, remembering each object's verdict and every log line (the log
 * goes to memory meanwhile, then back to stderr). NULL, logged, if the run
 * could not be completed.
 */
struct inspect_ctx *inspect_ctx_run(const char *mirror, struct tal *const *tals,
				    size_t num_tals, time_t now, int jobs);

/*
 * The verdict on the file at path, which lies inside the mirror: "valid",
 * the first log line naming the rule the object breaks, or "not reached: "
 * and the first line naming why its manifest, CA or directory was not
 * used. *valid says which. NULL only when out of memory; caller frees.
 */
char *inspect_ctx_verdict(const struct inspect_ctx *ctx, const char *path,
			  bool *valid);

/* Frees ctx; NULL is allowed. */
void inspect_ctx_free(struct inspect_ctx *ctx);

/*
 * Decodes the object file at path by its extension (.cer .crl .mft .roa
 * .asa .tal) and prints its fields to fp in fmt, with every error found in
 * it, and, when ctx is not NULL, its verdict. Never fails on bad input:
 * true if the object decoded without error (and is valid, with ctx).
 * The engine's log goes to memory meanwhile, then back to stderr.
 */
bool inspect_file(FILE *fp, const char *path, enum inspect_format fmt,
		  const struct inspect_ctx *ctx);

#endif /* VRPD_INSPECT_H */
