/*
 * One validation cycle: fetch (or read a mirror), validate every TAL's
 * tree, keep the last valid copies, and write the outputs. vrpd --once
 * runs one; the daemon runs one every --refresh seconds.
 */
#ifndef VRPD_CYCLE_H
#define VRPD_CYCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "fetch.h"
#include "http.h"
#include "output.h"
#include "tal.h"
#include "validate.h"
#include "vrpset.h"

/* One --output: a format and a path ("-" for stdout). */
struct output_req {
	enum output_format fmt;
	const char *path;
};

struct cycle_config {
	const char *mirror;    /* read objects here; NULL: fetch */
	const char *cache_dir; /* where fetched repositories go */
	const char *lkg_dir;   /* last valid copies, or NULL for none */
	struct http_config http;
	bool rsync, rrdp;
	int fetch_jobs, jobs, max_depth;
	time_t now; /* the evaluation time; 0: the clock at each cycle */
	struct tal *const *tals;
	size_t num_tals;
	const struct output_req *outputs;
	size_t num_outputs;
	/* RFC 8416 files, read afresh every cycle (a bad one fails it). */
	const char *const *slurm;
	size_t num_slurm;
	/* Show a progress line on stderr (a terminal) while running. */
	bool progress;
};

struct cycle_result {
	struct vrpset *set; /* finished; the caller frees it */
	struct validate_stats stats;
	struct fetch_stats fetch;
	bool fetched;		    /* fetch holds numbers */
	struct fetch_report *repos; /* each repository; cycle_result_free */
	size_t num_repos;
	bool written;	/* every output and the kept copies were written */
	double seconds; /* the whole cycle */
	time_t now;	/* the evaluation time used */
};

/*
 * Runs one cycle; false with a message in err when no set could be made
 * (an output that fails only clears result->written, logged).
 */
bool cycle_run(const struct cycle_config *c, struct cycle_result *result,
	       char *err, size_t errlen);

/* Frees the set and the repository reports of a result. */
void cycle_result_free(struct cycle_result *r);

/* The one-line summary of a cycle: counts of everything and of failures. */
void cycle_summary(const struct cycle_result *r, char *buf, size_t len);

/* Writes one output to its file through a temporary name and rename. */
bool cycle_write_output(const struct output_req *req, const struct vrpset *set,
			const struct output_meta *meta);

#endif /* VRPD_CYCLE_H */
