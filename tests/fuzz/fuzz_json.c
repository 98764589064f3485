/* fuzz_json.c -- the JSON record reader (doc.c, json.c) and the JSON
 * Lines input reader (input.c) on arbitrary bytes.
 *
 * The input is read twice: as one record by doc_from_json, and as a JSON
 * Lines file by the input reader. Oracles: a record that reads is written
 * back to JSON that reads again into the same record (fuzz_check_doc); a
 * record that does not read has a reason; the file reader returns exactly
 * one document per non-blank line, each with an id and a source, and a
 * rejected one with a reason. */
#include "fuzz_host.h"
#include "input.h"

static tm_doc *doc;
static pipeline_conf files; /* input: the one file in.jsonl */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_preload_plugins();
	doc = doc_new();
	fuzz_load_stages(&files, "input: {paths: [in.jsonl]}\nstages: []\n");
	return 0;
}

static void one_record(const uint8_t *data, size_t size)
{
	static buf err;
	buf_clear(&err);
	doc_reset(doc);
	if (doc_from_json(doc, (const char *)data, size, &err) == 0)
		fuzz_check_doc(doc, 1);
	else
		FUZZ_CHECK(err.len > 0, "a record that does not read has no reason");
}

static int blank_line(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

static size_t count_lines(const uint8_t *data, size_t size)
{
	size_t lines = 0, start = 0;
	if (size >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		start = 3; /* the reader skips a byte order mark at the start */
	while (start < size) {
		const uint8_t *nl = memchr(data + start, '\n', size - start);
		size_t end = nl ? (size_t)(nl - data) : size;
		lines += !blank_line(data + start, end - start);
		start = end + 1;
	}
	return lines;
}

static void as_file(const uint8_t *data, size_t size)
{
	static buf raw, err;
	buf_clear(&err);
	fuzz_write("in.jsonl", data, size);
	input *in = input_open(&files, &err);
	FUZZ_CHECK(in != NULL, "cannot open the input: %s", err.p);
	size_t docs = 0;
	int r;
	while ((r = input_next(in, doc, &raw, &err)) == 1) {
		docs++;
		FUZZ_CHECK(doc->id && doc->source && *doc->source, "document %zu has no id or source", docs);
		if (doc->verdict == TM_KEEP)
			fuzz_check_doc(doc, 1);
		else
			FUZZ_CHECK(doc->reason && *doc->reason, "document %zu (%s) was rejected without a reason",
				   docs, doc->source);
	}
	input_close(in);
	/* Gzip is read through zlib, which may stop at a damaged stream: count
	 * lines only for plain files. */
	int gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
	if (!gzip) {
		FUZZ_CHECK(r == 0, "reading a plain file failed: %s", err.p);
		size_t lines = count_lines(data, size);
		FUZZ_CHECK(docs == lines, "%zu non-blank lines gave %zu documents", lines, docs);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one_record(data, size);
	as_file(data, size);
	return 0;
}
