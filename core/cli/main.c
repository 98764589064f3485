/* main.c -- the textmill command line: run, check, plugins. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "global.h"
#include "input.h"
#include "json.h"
#include "paths.h"
#include "pipeline.h"

static const char usage_main[] =
	"usage: textmill COMMAND [ARGS]\n"
	"\n"
	"Streams a corpus through a pipeline of stages described in YAML.\n"
	"\n"
	"commands:\n"
	"  run CONFIG      run a pipeline\n"
	"  check CONFIG    validate a pipeline and print it resolved, without running it\n"
	"  plugins [NAME]  list the stage types on the plugin path, or one type's options\n"
	"  try SCRIPT      run a Lua script (or a config's stages) on a text, show the entities\n"
	"  test FILE...    run rule test files\n"
	"  slurm CONFIG    run a pipeline in shards on a Slurm cluster, deduplicated globally\n"
	"  merge CONFIG    phase 2 of a sharded run: a stage's merge over all the shards\n"
	"  report OUT...   one HTML report from several runs' outputs, e.g. of shards\n"
	"\n"
	"options:\n"
	"  -h, --help      show this help (also after a command)\n"
	"  -V, --version   print the version\n"
	"\n"
	"Exit status: 0 done; 1 the run failed (nothing committed); 2 usage or config\n"
	"error; 3 done, but some documents were rejected; 4 done, but no document was read.\n";

static const char usage_run[] =
	"usage: textmill run CONFIG [-i PATH]... [-o PATH] [--rejects PATH] [-j N] [--set KEY=VALUE]... [--shard I/N]\n"
	"                    [--limit N] [--quiet | --verbose | --log-level LEVEL]\n"
	"\n"
	"Runs the pipeline in CONFIG and prints a summary on stderr.\n"
	"\n"
	"  -i, --input PATH     read PATH instead of the configured input (repeatable;\n"
	"                       files, globs, directories; '-' is JSON Lines on stdin)\n"
	"  -o, --output PATH    write only PATH, by its ending (.jsonl; '-' is JSON Lines\n"
	"                       on stdout) instead of the configured outputs\n"
	"  -j, --workers N      threads for parallel stages (default: config, else cores)\n"
	"      --rejects PATH   write rejected documents to PATH (JSON Lines) instead of\n"
	"                       the config's rejects file; with -o and without it, none\n"
	"  -s, --set KEY=VALUE  override a config value by its path, e.g.\n"
	"                       --set stages.0.min_chars=200 (list items count from 0)\n"
	"      --shard I/N      read only shard I (0..N-1) of the input: the files, as\n"
	"                       one stream of bytes cut in N equal parts, whole records\n"
	"                       each; the N shards in order are the whole input\n"
	"      --limit N        read only the first N documents (of the shard, with\n"
	"                       --shard), then finish as at the end of the input\n"
	"      --summary-json PATH  write the end-of-run summary as JSON\n"
	"      --progress-json PATH  write a JSON line of progress to PATH (a file, a\n"
	"                       FIFO, /dev/fd/N) at the start, every 2 s, and at the end\n"
	"      --global MODE:STAGE:I/N:DIR  a phase of a sharded run (written by\n"
	"                       textmill slurm): STAGE's global phase, MODE collect or\n"
	"                       apply, for shard I of N, with its files in DIR\n"
	"  -q, --quiet          print nothing but errors (and no progress line); as\n"
	"                       --log-level error\n"
	"  -v, --verbose        say also what the host does: plugins loaded, the\n"
	"                       config, files committed; as --log-level debug\n"
	"      --log-level LEVEL  error, warn (and warnings: rejected documents, files\n"
	"                       skipped), info (and the summary and progress line; the\n"
	"                       default) or debug\n"
	"  -h, --help           show this help\n";

static const char usage_check[] =
	"usage: textmill check CONFIG [-i PATH]... [-o PATH] [--rejects PATH] [-j N] [--set KEY=VALUE]... [--limit N]\n"
	"                      [--json] [--quiet | --verbose | --log-level LEVEL]\n"
	"\n"
	"Validates CONFIG (with the same overrides as run) and prints the resolved\n"
	"pipeline: each stage, the plugin it comes from, and every option with its\n"
	"value and where the value was set (or that it is the default).\n"
	"\n"
	"      --json           print it as one JSON object, {\"ok\":true,...}; an\n"
	"                       invalid config prints {\"ok\":false,\"error\":MESSAGE}\n"
	"  -q, --quiet          as for run: errors only\n"
	"  -v, --verbose        as for run: what the host does, too\n"
	"      --log-level LEVEL  as for run: error, warn, info or debug\n";

static const char usage_plugins[] = "usage: textmill plugins [NAME] [--json] [--plugin-path PATH]...\n"
				    "\n"
				    "Lists every stage type on the plugin path (the built-in plugins, then\n"
				    "$TEXTMILL_PLUGIN_PATH) with its summary, under the plugin file it comes\n"
				    "from; with NAME, prints that type's options: name, type, default and help.\n"
				    "\n"
				    "      --plugin-path PATH  a folder of plugins to load too (repeatable)\n"
				    "      --json              the same as JSON: a list of every type with its\n"
				    "                          options (or the one type NAME), for programs\n";

/* Digits only (no sign, no spaces), at most UINT_MAX; moves *s past them. */
static int parse_count(const char **s, unsigned *out)
{
	const char *p = *s;
	unsigned v = 0;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned digit = (unsigned)(*p - '0');
		if (v > (UINT_MAX - digit) / 10)
			return -1;
		v = v * 10 + digit;
	}
	*s = p;
	*out = v;
	return 0;
}

/* --shard I/N, strictly: a number that does not fit must not wrap around
 * into another shard (0/4294967297 was 0/1, the whole input). */
static int parse_shard(const char *arg, unsigned *index, unsigned *count)
{
	const char *p = arg;
	if (parse_count(&p, index) || *p++ != '/' || parse_count(&p, count) || *p || *count < 1 || *index >= *count) {
		fprintf(stderr,
			"textmill: --shard expects I/N with 0 <= I < N <= %u, digits only, e.g. "
			"--shard 0/4, not '%s'\n",
			UINT_MAX, arg);
		return -1;
	}
	return 0;
}

int cli_log_level(int c, const char *arg)
{
	int level = c == 'q' ? LOG_ERROR : c == 'v' ? LOG_DEBUG : log_level_named(arg);
	if (level < 0) {
		print_err("textmill: --log-level expects error, warn, info or debug, not '%s'\n", arg);
		return -1;
	}
	log_level = level;
	return 0;
}

/* -q, -v and --log-level LEVEL: the last one given counts. */
static int set_log_level(int c, const char *arg, overrides *ov, int *quiet)
{
	if (cli_log_level(c, arg))
		return -1;
	*quiet = ov->quiet = log_level == LOG_ERROR;
	return 0;
}

static int parse_common(int argc, char **argv, const char *usage, overrides *ov, int *quiet, int *json,
			const char **progress_json, const char **config)
{
	static const struct option longopts[] = {
		{"input", required_argument, NULL, 'i'},
		{"output", required_argument, NULL, 'o'},
		{"workers", required_argument, NULL, 'j'},
		{"set", required_argument, NULL, 's'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"summary-json", required_argument, NULL, 'S'},
		{"shard", required_argument, NULL, 'H'},
		{"global", required_argument, NULL, 'G'},
		{"rejects", required_argument, NULL, 'R'},
		{"limit", required_argument, NULL, 'L'},
		{"verbose", no_argument, NULL, 'v'},
		{"log-level", required_argument, NULL, 'l'},
		{"json", no_argument, NULL, 'J'},
		{"progress-json", required_argument, NULL, 'P'},
		{NULL, 0, NULL, 0},
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "i:o:j:s:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			ov->inputs = xrealloc(ov->inputs, (ov->n_inputs + 1) * sizeof *ov->inputs);
			ov->inputs[ov->n_inputs++] = optarg;
			break;
		case 'o': ov->output = optarg; break;
		case 'j': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 1024) {
				print_err("textmill: -j expects a number of workers from 1 to 1024, not '%s'\n",
					  optarg);
				return -1;
			}
			ov->workers = (unsigned)n;
			break;
		}
		case 's':
			ov->sets = xrealloc(ov->sets, (ov->n_sets + 1) * sizeof *ov->sets);
			ov->sets[ov->n_sets++] = optarg;
			break;
		case 'q':
		case 'v':
		case 'l':
			if (set_log_level(c, optarg, ov, quiet))
				return -1;
			break;
		case 'J':
			if (!json) {
				print_err("textmill: --json is an option of check (the run's is --summary-json)\n");
				return -1;
			}
			*json = 1;
			break;
		case 'S': ov->summary_json = optarg; break;
		case 'P': *progress_json = optarg; break;
		case 'R': ov->rejects = optarg; break;
		case 'L': {
			char *end;
			errno = 0;
			unsigned long long n = strtoull(optarg, &end, 10);
			if (!isdigit((unsigned char)*optarg) || *end || errno || n < 1) {
				print_err("textmill: --limit expects a number of documents of at least 1, not '%s'\n",
					  optarg);
				return -1;
			}
			ov->limit = n;
			break;
		}
		case 'H':
			if (parse_shard(optarg, &ov->shard_index, &ov->shard_count))
				return -1;
			break;
		case 'G':
			ov->globals = xrealloc(ov->globals, (ov->n_globals + 1) * sizeof *ov->globals);
			ov->globals[ov->n_globals++] = optarg;
			break;
		case 'h': fputs(usage, stdout); exit(0);
		default: fputs(usage, stderr); return -1;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "textmill: %s\n%s", optind >= argc ? "missing CONFIG" : "too many arguments", usage);
		return -1;
	}
	*config = argv[optind];
	return 0;
}

/* A config that does not load or open: the message on stderr, and with
 * --json also on stdout, for a script that reads only that. */
static void check_failed(int json, const char *message)
{
	print_err("textmill: %s\n", message);
	if (json) {
		buf out = {0};
		buf_puts(&out, "{\"ok\":false,\"error\":");
		json_put_string(&out, message, strlen(message));
		buf_puts(&out, "}\n");
		fputs(out.p, stdout);
		buf_free(&out);
	}
}

static int cmd_run_or_check(int argc, char **argv, int check)
{
	overrides ov = {0};
	int quiet = 0, json = 0;
	const char *config, *progress_json = NULL;
	int status = EXIT_USAGE;
	pipeline_conf pc;
	global_role *roles = NULL;
	buf err = {0};
	if (parse_common(argc, argv, check ? usage_check : usage_run, &ov, &quiet, check ? &json : NULL,
			 &progress_json, &config))
		goto out;
	int bad = config_load(&pc, config, &ov, &err) || check_written_paths(&pc, ov.summary_json, &err);
	roles = xcalloc(ov.n_globals + 1, sizeof *roles);
	for (size_t i = 0; i < ov.n_globals && !bad; i++)
		bad = global_bind(&pc, ov.globals[i], &roles[i], &err);
	if (bad) {
		check_failed(json, err.p ? err.p : "invalid config");
		config_free(&pc);
		goto out;
	}
	log_debug("config %s: %zu stages, %zu outputs, %u workers", pc.path, pc.n_stages, pc.n_outputs, pc.workers);
	if (check) {
		/* Creating each stage and output once catches what only it can
		 * check: a script's syntax, a bad pattern, a missing dictionary, an
		 * unknown column, a file that cannot be created. The outputs'
		 * temporary files are removed when the pipeline closes. */
		unsigned workers = pc.workers;
		pc.workers = 1;
		run_options ro = {.quiet = 1, .open_outputs = 1};
		pipeline *p = pipeline_open(&pc, &ro, &err);
		pc.workers = workers;
		if (!p) {
			check_failed(json, err.p);
			config_free(&pc);
			goto out;
		}
		pipeline_close(p);
		input *in = pc.input ? input_open(&pc, &err) : NULL; /* do the input paths exist? */
		if (pc.input && !in) {
			check_failed(json, err.p);
			config_free(&pc);
			goto out;
		}
		input_close(in);
		buf out = {0};
		if (json)
			config_print_json(&pc, &out);
		else
			config_print(&pc, &out);
		fputs(out.p, stdout);
		buf_free(&out);
		status = EXIT_DONE;
	} else {
		run_options ro = {.quiet = quiet, .summary_json = ov.summary_json, .progress_json = progress_json};
		status = pipeline_run(&pc, &ro);
	}
	config_free(&pc);
out:
	for (size_t i = 0; roles && i < ov.n_globals; i++)
		global_role_free(&roles[i]);
	free(roles);
	free(ov.globals);
	buf_free(&err);
	free(ov.inputs);
	free(ov.sets);
	return status;
}

static int cmd_plugins(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"plugin-path", required_argument, NULL, 'p'},
		{"json", no_argument, NULL, 'J'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char **extra = NULL;
	size_t n_extra = 0;
	int c, status = EXIT_USAGE, json = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:h", longopts, NULL)) != -1) {
		if (c == 'J') {
			json = 1;
			continue;
		}
		if (c == 'h') {
			fputs(usage_plugins, stdout);
			free(extra);
			return EXIT_DONE;
		}
		if (c != 'p') {
			fputs(usage_plugins, stderr);
			free(extra);
			return EXIT_USAGE;
		}
		extra = xrealloc(extra, (n_extra + 1) * sizeof *extra);
		extra[n_extra++] = optarg;
	}
	if (argc - optind > 1) {
		fputs(usage_plugins, stderr);
		free(extra);
		return EXIT_USAGE;
	}
	registry reg = {0};
	buf err = {0}, out = {0};
	if (config_plugins(&reg, extra, n_extra, &err)) {
		print_err("textmill: %s\n", err.p);
		goto done;
	}
	if (optind < argc) {
		const stage_entry *e = registry_find(&reg, argv[optind]);
		if (!e) {
			const char *hint = registry_suggest(&reg, argv[optind], 0);
			if (!hint)
				hint = registry_suggest(&reg, argv[optind], TM_STAGE_OUTPUT);
			if (!hint)
				hint = registry_suggest(&reg, argv[optind], TM_STAGE_INPUT);
			print_err("textmill: no stage type '%s' on the plugin path%s%s%s\n", argv[optind],
				  hint ? "; did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
			goto done;
		}
		if (json)
			print_stage_json(e, &out), buf_puts(&out, "\n");
		else
			print_stage_help(e, &out);
	} else if (json) {
		buf_puts(&out, "[");
		for (size_t i = 0; i < reg.n; i++) {
			buf_puts(&out, i ? ",\n " : "");
			print_stage_json(&reg.e[i], &out);
		}
		buf_puts(&out, "]\n");
	} else {
		size_t width = 0;
		for (size_t i = 0; i < reg.n; i++)
			if (strlen(reg.e[i].type.name) > width)
				width = strlen(reg.e[i].type.name);
		/* A plugin's stage types are loaded together: each file heads its group. */
		for (size_t i = 0; i < reg.n; i++) {
			if (!i || strcmp(reg.e[i].file, reg.e[i - 1].file)) {
				buf_puts(&out, i ? "\n" : "");
				buf_put_escaped(&out, reg.e[i].file, strlen(reg.e[i].file));
				buf_puts(&out, ":\n");
			}
			buf_printf(&out, "  %-*s  %s\n", (int)width, reg.e[i].type.name,
				   reg.e[i].type.summary ? reg.e[i].type.summary : "");
		}
	}
	fputs(out.p ? out.p : "", stdout);
	status = EXIT_DONE;
done:
	registry_free(&reg);
	buf_free(&err);
	buf_free(&out);
	free(extra);
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_main, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		fputs(usage_main, stdout);
		return EXIT_DONE;
	}
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		printf("textmill %s (plugin ABI %d)\n", tm_version(), TM_ABI_VERSION);
		return EXIT_DONE;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run_or_check(argc - 1, argv + 1, 0);
	if (!strcmp(cmd, "check"))
		return cmd_run_or_check(argc - 1, argv + 1, 1);
	if (!strcmp(cmd, "plugins"))
		return cmd_plugins(argc - 1, argv + 1);
	if (!strcmp(cmd, "try"))
		return cmd_try(argc - 1, argv + 1);
	if (!strcmp(cmd, "test"))
		return cmd_test(argc - 1, argv + 1);
	if (!strcmp(cmd, "slurm"))
		return cmd_slurm(argc - 1, argv + 1);
	if (!strcmp(cmd, "merge"))
		return cmd_merge(argc - 1, argv + 1);
	if (!strcmp(cmd, "report"))
		return cmd_report(argc - 1, argv + 1);
	static const char *const commands[] = {"run", "check", "plugins", "try", "test", "slurm", "merge", "report"};
	const char *hint = kit_closest_word(cmd, commands, 8);
	print_err("textmill: unknown command '%s'%s%s%s\n", cmd, hint ? "; did you mean '" : "", hint ? hint : "",
		  hint ? "'?" : "");
	fputs(usage_main, stderr);
	return EXIT_USAGE;
}
