/* test_textstats.c -- a unit test of example.textstats through the
 * harness (textmill/harness.h): no textmill program, one document in, the
 * document or the verdict out. Run it with the path of textstats.so:
 *     ./test_textstats build/textstats.so */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <textmill/harness.h>

static int failures;

#define EXPECT(cond)                                                                       \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                                        \
		}                                                                          \
	} while (0)

static tm_harness *open_stage(const char *plugin, const char *options, char **err)
{
	char yaml[1024];
	snprintf(yaml, sizeof yaml, "plugin_path: [%s]\nstages:\n  - {type: example.textstats, %s}\n", plugin,
		 options);
	return tm_harness_open(yaml, NULL, err);
}

static int run(tm_harness *h, const char *json, char **out) { return tm_harness_process(h, json, strlen(json), out); }

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH/textstats.so\n", argv[0]);
		return 2;
	}
	char *err = NULL, *out = NULL;
	tm_harness *h = open_stage(argv[1], "min_words: 3", &err);
	if (!h) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}

	/* Kept, with the counts in the field. */
	EXPECT(run(h, "{\"id\":\"a\",\"text\":\"Hai câu. Ba từ nữa!\"}", &out) == TM_KEEP);
	EXPECT(strstr(out, "\"stats\":{\"chars\":19,\"words\":5,\"sentences\":2,\"paragraphs\":1}"));
	free(out);

	/* Too few words: dropped, and the harness says by which stage and why. */
	EXPECT(run(h, "{\"id\":\"b\",\"text\":\"Hai từ\"}", &out) == TM_DROP);
	EXPECT(strcmp(out, "stages.0: few-words") == 0);
	free(out);

	/* Not a record: rejected before the stage. */
	EXPECT(run(h, "{\"id\":\"c\",\"text\":", &out) == TM_REJECT);
	EXPECT(strncmp(out, "input: ", 7) == 0);
	free(out);
	tm_harness_close(h);

	/* Options are checked as `textmill check` checks them. */
	EXPECT(!open_stage(argv[1], "min_word: 3", &err));
	EXPECT(err && strstr(err, "did you mean 'min_words'?"));
	free(err);

	/* A list option: only the counts asked for, none for []. */
	h = open_stage(argv[1], "counts: [words, sentences]", &err);
	EXPECT(h && run(h, "{\"id\":\"d\",\"text\":\"Hai câu. Ba từ nữa!\"}", &out) == TM_KEEP);
	EXPECT(h && strstr(out, "\"stats\":{\"words\":5,\"sentences\":2}"));
	free(out);
	tm_harness_close(h);
	h = open_stage(argv[1], "counts: []", &err);
	EXPECT(h && run(h, "{\"id\":\"e\",\"text\":\"Hai câu.\"}", &out) == TM_KEEP);
	EXPECT(h && strstr(out, "\"stats\":{}"));
	free(out);
	tm_harness_close(h);
	EXPECT(!open_stage(argv[1], "counts: [words, pages]", &err));
	EXPECT(err && strstr(err, "no count called 'pages' (chars, words, sentences, paragraphs)"));
	free(err);

	/* A path option: the stop words are not counted; a missing file is named. */
	const char *tmp = getenv("TMPDIR");
	char path[512], options[600];
	snprintf(path, sizeof path, "%s/textstats-stop-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	EXPECT(f && fputs("Ba\r\n\ncâu.\n", f) >= 0 && fclose(f) == 0);
	snprintf(options, sizeof options, "stopwords: %s", path);
	h = open_stage(argv[1], options, &err);
	EXPECT(h && run(h, "{\"id\":\"f\",\"text\":\"Hai câu. Ba từ nữa!\"}", &out) == TM_KEEP);
	EXPECT(h && strstr(out, "\"words\":3,"));
	free(out);
	tm_harness_close(h);
	unlink(path);
	EXPECT(!open_stage(argv[1], options, &err));
	EXPECT(err && strstr(err, "cannot read") && strstr(err, "No such file or directory"));
	free(err);

	if (failures)
		return 1;
	puts("ok");
	return 0;
}
