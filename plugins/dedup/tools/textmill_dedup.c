/* textmill_dedup.c -- textmill-dedup, the merge step of a sharded run as a
 * program of its own (docs/distributed.md); the work is done in decide.c:
 *
 *   textmill-dedup decide [OPTIONS] SIG...   duplicates over all the shards' signature files
 *   textmill-dedup merge OUT SIG...          one merged signature file (by order key)
 *   textmill-dedup info FILE                 kind, record count and parameters of a dedup file
 *
 * `decide` makes the decisions of dedup.minhash over the whole corpus in
 * bounded memory; see decide.c for how. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide.h"
#include "sigfile.h"

static const char usage[] =
	"usage: textmill-dedup decide [OPTIONS] SIG...\n"
	"       textmill-dedup merge OUT SIG...\n"
	"       textmill-dedup info FILE\n"
	"\n"
	"decide: the near-duplicates over all the signature files that the shards of a\n"
	"sharded run wrote (dedup.minhash `signatures:`), as one dedup.minhash run over\n"
	"the whole corpus would decide them; sort-based, in bounded memory.\n"
	"  --threshold T      Jaccard threshold (default 0.8), as the stage's\n"
	"  --bands B          LSH bands  (default 0: as the stage chooses them)\n"
	"  --rows R           rows per band (default 0: as the stage chooses them)\n"
	"  --verify yes|no    verify candidates (default yes)\n"
	"  --keep first|longest|newest   which document of a cluster is kept (default first)\n"
	"  --out PATH         the duplicates, one line each in corpus order:\n"
	"                     ID<TAB>duplicate-of:BEST<TAB>{\"duplicate_of\":...,\"cluster\":...,\"similarity\":...}\n"
	"  --split DIR        the same split by input: DIR/drop-NNNNN.tsv for the Nth SIG,\n"
	"                     and DIR/marks-NNNNN.tsv with the kept documents that\n"
	"                     superseded a cluster's best (keep: longest|newest):\n"
	"                     ID<TAB>supersedes:PREV<TAB>{\"supersedes\":...,...}\n"
	"  --offset-step S    input N's order keys start at N*S (textmill slurm gives shard\n"
	"                     N order_offset N*2^40): the split lists then end with a\n"
	"                     fourth field, the document's line in its shard's file\n"
	"                     (order key - N*S + 1), for filter.ids match: line\n"
	"  --stats PATH       figures of the run as JSON\n"
	"  --memory MB        sort buffer (default 256)\n"
	"  --tmp DIR          temporary files (default $TMPDIR, else /tmp)\n"
	"  --fan-in K         sorted runs merged at once (default 128; more runs are\n"
	"                     merged in passes)\n"
	"  -q, --quiet        no summary on stderr\n"
	"Files appear complete or not at all (written beside, then renamed).\n"
	"Exit status: 0 done, 1 failed, 2 usage error.\n";

static int parse_keep(const char *s, mh_keep *k)
{
	if (!strcmp(s, "first"))
		*k = MH_KEEP_FIRST;
	else if (!strcmp(s, "longest"))
		*k = MH_KEEP_LONGEST;
	else if (!strcmp(s, "newest"))
		*k = MH_KEEP_NEWEST;
	else
		return -1;
	return 0;
}

static int parse_bool(const char *s, int *b)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "on"))
		*b = 1;
	else if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "off"))
		*b = 0;
	else
		return -1;
	return 0;
}

static int parse_u32(const char *s, uint32_t *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || !*s || v > 4096)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int cmd_decide(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"threshold", required_argument, NULL, 't'},
		{"bands", required_argument, NULL, 'b'},
		{"rows", required_argument, NULL, 'r'},
		{"verify", required_argument, NULL, 'v'},
		{"keep", required_argument, NULL, 'k'},
		{"out", required_argument, NULL, 'o'},
		{"split", required_argument, NULL, 's'},
		{"stats", required_argument, NULL, 'S'},
		{"memory", required_argument, NULL, 'm'},
		{"tmp", required_argument, NULL, 'T'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"offset-step", required_argument, NULL, 'O'},
		{"fan-in", required_argument, NULL, 'F'},
		{NULL, 0, NULL, 0},
	};
	dd_decide_opts dc = {.threshold = 0.8, .verify = 1, .keep = MH_KEEP_FIRST, .memory = 256u << 20};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 't':
			dc.threshold = strtod(optarg, &end);
			if (*end || !(dc.threshold > 0 && dc.threshold <= 1)) {
				fprintf(stderr,
					"textmill-dedup: --threshold must be above 0 and at most 1, not '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'b':
		case 'r':
			if (parse_u32(optarg, c == 'b' ? &dc.bands : &dc.rows)) {
				fprintf(stderr, "textmill-dedup: --%s expects a number, not '%s'\n",
					c == 'b' ? "bands" : "rows", optarg);
				return 2;
			}
			break;
		case 'v':
			if (parse_bool(optarg, &dc.verify)) {
				fprintf(stderr, "textmill-dedup: --verify expects yes or no, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'k':
			if (parse_keep(optarg, &dc.keep)) {
				fprintf(stderr, "textmill-dedup: --keep expects first, longest or newest, not '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'o': dc.out_path = optarg; break;
		case 's': dc.split_dir = optarg; break;
		case 'S': dc.stats_path = optarg; break;
		case 'T': dc.tmp_root = optarg; break;
		case 'm': {
			long mb = strtol(optarg, &end, 10);
			if (*end || mb < 1 || mb > (1L << 20)) {
				fprintf(stderr, "textmill-dedup: --memory expects megabytes (1 or more), not '%s'\n",
					optarg);
				return 2;
			}
			dc.memory = (size_t)mb << 20;
			break;
		}
		case 'O':
			errno = 0;
			dc.offset_step = strtoull(optarg, &end, 0);
			if (errno || *end || !dc.offset_step) {
				fprintf(stderr, "textmill-dedup: --offset-step expects a positive number, not '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'F': {
			long v = strtol(optarg, &end, 10);
			if (*end || v < 2 || v > 4096) {
				fprintf(stderr,
					"textmill-dedup: --fan-in expects a number from 2 to 4096, not '%s'\n",
					optarg);
				return 2;
			}
			dc.fan_in = (size_t)v;
			break;
		}
		case 'q': dc.quiet = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "textmill-dedup: decide needs at least one signature file\n%s", usage);
		return 2;
	}
	char err[1024];
	if (dd_decide(&dc, argv + optind, (size_t)(argc - optind), NULL, err, sizeof err)) {
		fprintf(stderr, "textmill-dedup: %s\n", err);
		return 1;
	}
	return 0;
}

/* ---- merge, info ------------------------------------------------------------- */

static int cmd_merge(int argc, char **argv)
{
	if (argc < 3) {
		fputs(usage, stderr);
		return 2;
	}
	char err[1024];
	if (dd_decide_merge(argv[1], (const char *const *)argv + 2, (size_t)argc - 2, err, sizeof err)) {
		fprintf(stderr, "textmill-dedup: %s\n", err);
		return 1;
	}
	return 0;
}

static int cmd_info(int argc, char **argv)
{
	if (argc != 2) {
		fputs(usage, stderr);
		return 2;
	}
	return dd_print_info(argv[1], "textmill-dedup");
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "decide"))
		return cmd_decide(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "merge"))
		return cmd_merge(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "info"))
		return cmd_info(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(usage, stdout);
		return 0;
	}
	fputs(usage, stderr);
	return 2;
}
