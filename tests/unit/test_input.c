/* test_input.c -- reading documents (input.c): JSON Lines and text files,
 * plain or gzip, through a pipeline config as `textmill run` does. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "config.h"
#include "doc.h"
#include "helpers.h"
#include "input.h"

static char *dir;
static pipeline_conf pc;
static input *in;
static tm_doc *doc;
static buf raw, err;

static void setup(void)
{
	dir = make_temp_dir();
	memset(&pc, 0, sizeof pc);
	in = NULL;
	doc = doc_new();
	memset(&raw, 0, sizeof raw);
	memset(&err, 0, sizeof err);
}

static void teardown(void)
{
	input_close(in);
	config_free(&pc);
	doc_free(doc);
	buf_free(&raw);
	buf_free(&err);
	rm_rf(dir);
	free(dir);
}

/* Put a file in the scratch directory. */
static void put(const char *name, const char *text) { free(write_file(dir, name, text)); }

static void put_gz(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	gzFile gz = gzopen(path, "wb");
	ck_assert_ptr_nonnull(gz);
	ck_assert_int_eq(gzwrite(gz, text, (unsigned)strlen(text)), (int)strlen(text));
	ck_assert_int_eq(gzclose(gz), Z_OK);
	free(path);
}

/* Load a config whose input is `paths` (YAML, relative to the scratch
 * directory), with more top-level YAML, and open the input; NULL with the
 * message in err. */
static input *open_paths_with(const char *paths, const char *more)
{
	char *yaml = xasprintf("input:\n  paths: %s\noutputs: [{type: output.jsonl, path: out.jsonl}]\n%s", paths,
			       more);
	char *cfg = write_file(dir, "pipeline.yaml", yaml);
	ck_assert_msg(config_load(&pc, cfg, NULL, &err) == 0, "%s", err.p);
	free(cfg);
	free(yaml);
	return in = input_open(&pc, &err);
}

static input *open_paths(const char *paths) { return open_paths_with(paths, ""); }

/* The next document (1), the end (0) or an error (-1). */
static int next(void)
{
	buf_clear(&err);
	return input_next(in, doc, &raw, &err);
}

/* The path of a scratch file as the input names it, with ":LINE" if given. */
static char *where(const char *name, int line)
{
	return line ? xasprintf("%s/%s:%d", dir, name, line) : xasprintf("%s/%s", dir, name);
}

#define ck_assert_source(name, line)                      \
	do {                                              \
		char *w_ = where((name), (line));         \
		ck_assert_str_eq(tm_doc_source(doc), w_); \
		free(w_);                                 \
	} while (0)

#define ck_assert_kept(id, text)                                      \
	do {                                                          \
		ck_assert_int_eq(tm_doc_verdict(doc, NULL), TM_KEEP); \
		ck_assert_str_eq(tm_doc_id(doc), (id));               \
		ck_assert_str_eq(tm_doc_text(doc, NULL), (text));     \
	} while (0)

/* ---- JSON Lines ------------------------------------------------------------- */

START_TEST(test_jsonl_crlf)
{
	put("tin.jsonl", "{\"id\":\"a\",\"text\":\"Xin chào\"}\r\n"
			 "{\"id\":\"b\",\"text\":\"Tạm biệt\\r\\n\"}\r\n");
	ck_assert_ptr_nonnull(open_paths("[tin.jsonl]"));
	ck_assert_uint_eq(input_file_count(in), 1);
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("a", "Xin chào");
	ck_assert_source("tin.jsonl", 1);
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("b", "Tạm biệt\r\n"); /* an escaped CR is the text's own */
	ck_assert_source("tin.jsonl", 2);
	ck_assert_int_eq(next(), 0);
	ck_assert_int_eq(next(), 0); /* and stays at the end */
}
END_TEST

START_TEST(test_jsonl_no_final_newline)
{
	put("tin.jsonl", "{\"id\":\"1\",\"text\":\"đầu\"}\n{\"id\":\"2\",\"text\":\"cuối\"}");
	ck_assert_ptr_nonnull(open_paths("[tin.jsonl]"));
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("1", "đầu");
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("2", "cuối");
	ck_assert_source("tin.jsonl", 2);
	ck_assert_int_eq(next(), 0);

	/* The same with CRLF. */
	input_close(in);
	config_free(&pc);
	put("tin.jsonl", "{\"id\":\"1\",\"text\":\"đầu\"}\r\n{\"id\":\"2\",\"text\":\"cuối\"}\r");
	ck_assert_ptr_nonnull(open_paths("[tin.jsonl]"));
	ck_assert_int_eq(next(), 1);
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("2", "cuối");
	ck_assert_int_eq(next(), 0);
}
END_TEST

START_TEST(test_jsonl_blank_lines)
{
	put("tin.jsonl", "\n   \n{\"id\":\"a\",\"text\":\"một\"}\n\t\r\n\n{\"id\":\"b\",\"text\":\"hai\"}\n\n  ");
	ck_assert_ptr_nonnull(open_paths("[tin.jsonl]"));
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("a", "một");
	ck_assert_source("tin.jsonl", 3); /* line numbers count the blank lines */
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("b", "hai");
	ck_assert_source("tin.jsonl", 6);
	ck_assert_int_eq(next(), 0);

	/* A file of blank lines, and an empty file, hold no documents. */
	input_close(in);
	config_free(&pc);
	put("blank.jsonl", "\n\n \r\n");
	put("empty.jsonl", "");
	ck_assert_ptr_nonnull(open_paths("[blank.jsonl, empty.jsonl]"));
	ck_assert_int_eq(next(), 0);
}
END_TEST

START_TEST(test_jsonl_gz)
{
	put_gz("tin.jsonl.gz", "{\"id\":\"g1\",\"text\":\"Hạ Long\"}\n"
			       "{\"text\":\"Phong Nha\",\"nguồn\":\"báo\"}\n"
			       "{\"id\":\"g3\",\"text\":\"Sa Pa\"}\n");
	ck_assert_ptr_nonnull(open_paths("[tin.jsonl.gz]"));
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("g1", "Hạ Long");
	ck_assert_source("tin.jsonl.gz", 1);
	ck_assert_int_eq(next(), 1);
	/* No id: named after the file (without .jsonl.gz) and the line. */
	ck_assert_kept("tin:2", "Phong Nha");
	ck_assert_str_eq(tm_doc_meta_string(doc, "nguồn", NULL), "báo");
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("g3", "Sa Pa");
	ck_assert_int_eq(next(), 0);
}
END_TEST

START_TEST(test_jsonl_bad_records)
{
	put("tin.jsonl", "{\"id\":\"ok\",\"text\":\"tốt\"}\n"
			 "{\"id\":\"broken\",\"text\":\"thiếu ngoặc\"\n"
			 "{\"text\":\"ch\xe0o\"}\n"
			 "{\"id\":\"empty\",\"text\":\" \\n\\t \"}\n"
			 "{\"id\":\"after\",\"text\":\"vẫn đọc\"}\n");
	ck_assert_ptr_nonnull(open_paths("[tin.jsonl]"));
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("ok", "tốt");

	/* A record that cannot be read is rejected, with its raw bytes kept
	 * for the rejects file, and named after its place. */
	const char *why;
	ck_assert_int_eq(next(), 1);
	ck_assert_int_eq(tm_doc_verdict(doc, &why), TM_REJECT);
	/* Columns count bytes: the line is 39 bytes, ế and ặ three each. */
	ck_assert_str_eq(why, "malformed JSON: expected ',' or '}' in an object at column 40");
	ck_assert_str_eq(raw.p, "{\"id\":\"broken\",\"text\":\"thiếu ngoặc\"");
	ck_assert_str_eq(tm_doc_id(doc), "broken"); /* read before the error */

	ck_assert_int_eq(next(), 1);
	ck_assert_int_eq(tm_doc_verdict(doc, &why), TM_REJECT);
	ck_assert_str_eq(why, "invalid UTF-8: at byte 12");
	ck_assert_str_eq(tm_doc_id(doc), "tin:3");
	ck_assert_uint_eq(raw.len, 15);

	ck_assert_int_eq(next(), 1);
	ck_assert_int_eq(tm_doc_verdict(doc, &why), TM_REJECT);
	ck_assert_str_eq(why, "empty document");
	ck_assert_str_eq(tm_doc_id(doc), "empty");

	/* And the reader goes on. */
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("after", "vẫn đọc");
	ck_assert_uint_eq(raw.len, 0); /* only rejected records keep raw bytes */
	ck_assert_int_eq(next(), 0);
}
END_TEST

/* Each way an id can be broken, then a last line cut inside an id: every
 * such line is rejected with its reason and named after its place, and the
 * reader goes on. Before, the reader dereferenced the NULL id these left. */
START_TEST(test_jsonl_broken_ids)
{
	static const struct {
		const char *line, *why;
	} bad[] = {
		{"{\"id\":\"", "malformed JSON: unterminated string at column 8"},
		{"{\"id\":\"a\xff\",\"text\":\"t\"}", "invalid UTF-8: at byte 9"},
		{"{\"id\":\"a\\q\",\"text\":\"t\"}", "malformed JSON: invalid escape in a string at column 9"},
		{"{\"id\":\"\\ud800\",\"text\":\"t\"}",
		 "malformed JSON: high surrogate without its low surrogate in \\u escape at column 8"},
		{"{\"id\":\"a\tb\",\"text\":\"t\"}",
		 "malformed JSON: control character in a string (must be escaped) at column 9"},
		{"{\"id\":\"x\\u0000a\",\"text\":\"t\"}",
		 "malformed record: \"id\" holds a NUL character (\\u0000) at column 7"},
	};
	buf file = {0};
	size_t n = sizeof bad / sizeof *bad;
	for (size_t i = 0; i < n; i++) {
		buf_puts(&file, bad[i].line);
		buf_puts(&file, "\n{\"id\":\"ok\",\"text\":\"tốt\"}\n");
	}
	buf_puts(&file, "{\"text\":\"cuối\",\"id\":\"cắt"); /* the file ends inside the id */
	put("hỏng.jsonl", file.p);
	ck_assert_ptr_nonnull(open_paths("[hỏng.jsonl]"));
	const char *why;
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(next(), 1);
		ck_assert_int_eq(tm_doc_verdict(doc, &why), TM_REJECT);
		ck_assert_msg(!strcmp(why, bad[i].why), "line %zu: \"%s\", want \"%s\"", 2 * i + 1, why, bad[i].why);
		char *id = xasprintf("hỏng:%zu", 2 * i + 1);
		ck_assert_str_eq(tm_doc_id(doc), id);
		free(id);
		ck_assert_source("hỏng.jsonl", (int)(2 * i + 1));
		ck_assert_str_eq(raw.p, bad[i].line);
		ck_assert_int_eq(next(), 1);
		ck_assert_kept("ok", "tốt");
	}
	ck_assert_int_eq(next(), 1);
	ck_assert_int_eq(tm_doc_verdict(doc, &why), TM_REJECT);
	ck_assert_str_eq(why, "malformed JSON: unterminated string at column 29");
	ck_assert_str_eq(tm_doc_id(doc), "hỏng:13"); /* the id was not read whole */
	ck_assert_int_eq(next(), 0);
	buf_free(&file);
}
END_TEST

/* A file may start with a UTF-8 byte order mark: it is not part of the
 * first record (or of the text). */
START_TEST(test_byte_order_mark)
{
	put("bom.jsonl", "\xef\xbb\xbf{\"id\":\"a\",\"text\":\"một\"}\n{\"id\":\"b\",\"text\":\"hai\"}\n");
	put_gz("bom.jsonl.gz", "\xef\xbb\xbf{\"id\":\"c\",\"text\":\"ba\"}\n");
	put("bom.txt", "\xef\xbb\xbf"
		       "bốn");
	put("chỉ-bom.txt", "\xef\xbb\xbf");
	put("giữa.jsonl", "{\"id\":\"d\",\"text\":\"năm\"}\n\xef\xbb\xbf{\"id\":\"e\",\"text\":\"sáu\"}\n");
	ck_assert_ptr_nonnull(open_paths("[bom.jsonl, bom.jsonl.gz, bom.txt, chỉ-bom.txt, giữa.jsonl]"));
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("a", "một");
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("b", "hai");
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("c", "ba");
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("bom", "bốn");
	const char *why;
	ck_assert_int_eq(next(), 1);
	ck_assert_int_eq(tm_doc_verdict(doc, &why), TM_REJECT);
	ck_assert_str_eq(why, "empty document");
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("d", "năm");
	/* Only at the start of a file: elsewhere it is a stray character. */
	ck_assert_int_eq(next(), 1);
	ck_assert_int_eq(tm_doc_verdict(doc, &why), TM_REJECT);
	ck_assert_str_eq(why, "malformed JSON: a record must be a JSON object at column 1");
	ck_assert_int_eq(next(), 0);
}
END_TEST

/* A line of n bytes or more: {"id":"ID","text":"xxx..."} with the text
 * made of a repeated Vietnamese phrase. */
static char *long_record(const char *id, size_t n, buf *text)
{
	static const char phrase[] = "Dòng sông quê hương chảy mãi. ";
	buf_clear(text);
	while (text->len < n)
		buf_put(text, phrase, sizeof phrase - 1);
	return xasprintf("{\"id\":\"%s\",\"text\":\"%s\"}", id, text->p);
}

START_TEST(test_jsonl_long_lines)
{
	/* Lines longer than the 1 MiB read chunk, after a short line (so a
	 * partial line is carried over) and at the very end without a newline. */
	buf text1 = {0}, text2 = {0};
	char *rec1 = long_record("dai-1", (5u << 20) / 2, &text1); /* 2.5 MiB */
	char *rec2 = long_record("dai-2", (3u << 20) / 2, &text2); /* 1.5 MiB */
	char *file = xasprintf("{\"id\":\"ngan\",\"text\":\"ngắn\"}\n%s\n{\"id\":\"giua\",\"text\":\"giữa\"}\n%s",
			       rec1, rec2);
	put("dai.jsonl", file);
	ck_assert_ptr_nonnull(open_paths("[dai.jsonl]"));

	ck_assert_int_eq(next(), 1);
	ck_assert_kept("ngan", "ngắn");
	ck_assert_int_eq(next(), 1);
	ck_assert_str_eq(tm_doc_id(doc), "dai-1");
	size_t len;
	const char *t = tm_doc_text(doc, &len);
	ck_assert_uint_gt(len, 1u << 20);
	ck_assert_uint_eq(len, text1.len);
	ck_assert_int_eq(memcmp(t, text1.p, len), 0);
	ck_assert_source("dai.jsonl", 2);
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("giua", "giữa");
	ck_assert_int_eq(next(), 1);
	ck_assert_str_eq(tm_doc_id(doc), "dai-2");
	t = tm_doc_text(doc, &len);
	ck_assert_uint_eq(len, text2.len);
	ck_assert_int_eq(memcmp(t, text2.p, len), 0);
	ck_assert_int_eq(next(), 0);

	free(file);
	free(rec1);
	free(rec2);
	buf_free(&text1);
	buf_free(&text2);
}
END_TEST

/* ---- max_document_bytes ------------------------------------------------------ */

/* n bytes of JSON record: {"id":"ID","text":"aaa…"}. */
static char *record_of(const char *id, size_t n)
{
	size_t frame = strlen(id) + strlen("{\"id\":\"\",\"text\":\"\"}");
	ck_assert_uint_gt(n, frame);
	char *r = xmalloc(n + 1);
	int head = sprintf(r, "{\"id\":\"%s\",\"text\":\"", id);
	memset(r + head, 'a', n - frame);
	strcpy(r + head + (n - frame), "\"}");
	ck_assert_uint_eq(strlen(r), n);
	return r;
}

#define ck_assert_too_large(size, max)                                                                        \
	do {                                                                                                  \
		const char *why_;                                                                             \
		char *want_ = xasprintf("too large: %zu bytes, over max_document_bytes (%d)", (size_t)(size), \
					(max));                                                               \
		ck_assert_int_eq(tm_doc_verdict(doc, &why_), TM_REJECT);                                      \
		ck_assert_str_eq(why_, want_);                                                                \
		ck_assert_uint_eq(doc->text.len, 0); /* never read into the document */                       \
		free(want_);                                                                                  \
	} while (0)

/* A record over max_document_bytes is rejected with its place and size and
 * passed over without being held, whether it fits in the read chunk or
 * runs over many; the records after it are read, their lines counted. */
START_TEST(test_jsonl_too_large)
{
	char *at_max = record_of("vừa", 1000), *over = record_of("quá", 1001);
	char *huge = record_of("rất-lớn", 3u << 20); /* three read chunks */
	char *last = record_of("cuối", 5000);
	char many_a[1101];
	memset(many_a, 'a', 1100);
	many_a[1100] = 0;
	char *file = xasprintf("%s\n%s\r\n%s\r\n{\"id\":\"sau\",\"text\":\"sau\"}\n%s\n"
			       "{\"text\":\"%s\",\"id\":\"muộn\"}\n{\"id\":\"ok\",\"text\":\"ok\"}\n%s",
			       at_max, at_max, over, huge, many_a, last);
	put("lớn.jsonl", file);
	ck_assert_ptr_nonnull(open_paths_with("[lớn.jsonl]", "max_document_bytes: 1000\n"));
	ck_assert_int_eq(next(), 1);
	ck_assert_int_eq(tm_doc_verdict(doc, NULL), TM_KEEP); /* exactly the limit */
	ck_assert_int_eq(next(), 1);
	ck_assert_int_eq(tm_doc_verdict(doc, NULL), TM_KEEP); /* and its \r is no part of it */
	ck_assert_int_eq(next(), 1);
	ck_assert_too_large(1001, 1000);
	ck_assert_str_eq(tm_doc_id(doc), "quá"); /* read from its start */
	ck_assert_source("lớn.jsonl", 3);
	ck_assert_str_eq(raw.p, over); /* its first 1024 bytes: all of it */
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("sau", "sau");
	ck_assert_source("lớn.jsonl", 4);
	ck_assert_int_eq(next(), 1);
	ck_assert_too_large(3u << 20, 1000);
	ck_assert_str_eq(tm_doc_id(doc), "rất-lớn");
	ck_assert_source("lớn.jsonl", 5);
	ck_assert_uint_eq(raw.len, 1024);
	ck_assert_mem_eq(raw.p, huge, 1024);
	ck_assert_uint_eq(doc->bytes, 3u << 20);
	ck_assert_int_eq(next(), 1);
	ck_assert_too_large(1100 + strlen("{\"text\":\"\",\"id\":\"muộn\"}"), 1000);
	ck_assert_str_eq(tm_doc_id(doc), "lớn:6"); /* its id comes too late to be seen */
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("ok", "ok");
	ck_assert_source("lớn.jsonl", 7);
	ck_assert_int_eq(next(), 1);
	ck_assert_too_large(5000, 1000); /* the last line, without a newline */
	ck_assert_str_eq(tm_doc_id(doc), "cuối");
	ck_assert_int_eq(next(), 0);
	free(file);

	/* The same through gzip, and with a limit above the read chunk: the
	 * chunk grows to hold a document up to the limit, no more. */
	input_close(in);
	config_free(&pc);
	char *big = record_of("lớn", (3u << 20) / 2), *bigger = record_of("lớn-hơn", (5u << 20) / 2);
	file = xasprintf("%s\n%s\n%s\n", big, bigger, at_max);
	put_gz("lớn.jsonl.gz", file);
	ck_assert_ptr_nonnull(open_paths_with("[lớn.jsonl.gz]", "max_document_bytes: 2097152\n"));
	ck_assert_int_eq(next(), 1);
	ck_assert_int_eq(tm_doc_verdict(doc, NULL), TM_KEEP);
	ck_assert_uint_eq(doc->text.len, (3u << 20) / 2 - strlen("{\"id\":\"lớn\",\"text\":\"\"}"));
	ck_assert_int_eq(next(), 1);
	ck_assert_too_large((5u << 20) / 2, 2097152);
	ck_assert_str_eq(tm_doc_id(doc), "lớn-hơn");
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("vừa", tm_doc_text(doc, NULL));
	ck_assert_int_eq(next(), 0);
	free(file);
	free(big);
	free(bigger);
	free(at_max);
	free(over);
	free(huge);
	free(last);
}
END_TEST

/* A text file is one document: the same limit, on the file's size. */
START_TEST(test_txt_too_large)
{
	buf text = {0};
	while (text.len < (3u << 20))
		buf_puts(&text, "ấ"); /* three bytes: 1024 cuts one */
	put("vừa.txt", "0123456789");
	put("quá.txt", "0123456789a");
	put("lớn.txt", text.p);
	put_gz("lớn-nén.txt.gz", text.p);
	ck_assert_ptr_nonnull(
		open_paths_with("[vừa.txt, quá.txt, lớn.txt, lớn-nén.txt.gz, vừa.txt]", "max_document_bytes: 10\n"));
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("vừa", "0123456789");
	ck_assert_int_eq(next(), 1);
	ck_assert_too_large(11, 10);
	ck_assert_str_eq(tm_doc_id(doc), "quá");
	ck_assert_source("quá.txt", 0);
	ck_assert_str_eq(raw.p, "0123456789a");
	ck_assert_int_eq(next(), 1);
	ck_assert_too_large(text.len, 10);
	ck_assert_str_eq(tm_doc_id(doc), "lớn");
	ck_assert_uint_eq(raw.len, 1023); /* its first bytes, whole characters */
	ck_assert_int_eq(next(), 1);
	ck_assert_too_large(text.len, 10);
	ck_assert_str_eq(tm_doc_id(doc), "lớn-nén");
	ck_assert_int_eq(next(), 0); /* the same file named twice is read once */
	buf_free(&text);
}
END_TEST

/* ---- text files ----------------------------------------------------------- */

START_TEST(test_txt_file)
{
	put("bài-viết.txt", "Huế mộng mơ.\nSông Hương, núi Ngự.\n");
	put_gz("ghi-chú.txt.gz", "Cố đô");
	ck_assert_ptr_nonnull(open_paths("[bài-viết.txt, ghi-chú.txt.gz]"));
	ck_assert_int_eq(next(), 1);
	/* One document per file, named after the file, text as is. */
	ck_assert_kept("bài-viết", "Huế mộng mơ.\nSông Hương, núi Ngự.\n");
	ck_assert_source("bài-viết.txt", 0);
	ck_assert_int_eq(doc->unchecked, 1); /* UTF-8 is checked by the run */
	ck_assert_uint_eq(tm_doc_meta_count(doc), 0);
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("ghi-chú", "Cố đô");
	ck_assert_source("ghi-chú.txt.gz", 0);
	ck_assert_int_eq(next(), 0);
}
END_TEST

START_TEST(test_txt_empty)
{
	put("trống.txt", "  \n\t\r\n");
	put("rỗng.txt", "");
	put("có.txt", "có chữ");
	ck_assert_ptr_nonnull(open_paths("[trống.txt, rỗng.txt, có.txt]"));
	const char *why;
	ck_assert_int_eq(next(), 1);
	ck_assert_str_eq(tm_doc_id(doc), "trống");
	ck_assert_int_eq(tm_doc_verdict(doc, &why), TM_REJECT);
	ck_assert_str_eq(why, "empty document");
	ck_assert_int_eq(next(), 1);
	ck_assert_str_eq(tm_doc_id(doc), "rỗng");
	ck_assert_int_eq(tm_doc_verdict(doc, &why), TM_REJECT);
	ck_assert_str_eq(why, "empty document");
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("có", "có chữ");
	ck_assert_int_eq(next(), 0);
}
END_TEST

START_TEST(test_txt_large_and_not_utf8)
{
	/* A text file larger than the read chunk, and one in Latin-1: the
	 * reader takes bytes; the run checks UTF-8 before the first stage
	 * that wants it. */
	buf big = {0};
	while (big.len < (3u << 20) / 2)
		buf_puts(&big, "Ngàn năm văn hiến. ");
	put("lớn.txt", big.p);
	put("latin1.txt", "ch\xe0o");
	ck_assert_ptr_nonnull(open_paths("[lớn.txt, latin1.txt]"));
	ck_assert_int_eq(next(), 1);
	size_t len;
	const char *t = tm_doc_text(doc, &len);
	ck_assert_uint_eq(len, big.len);
	ck_assert_int_eq(memcmp(t, big.p, len), 0);
	ck_assert_int_eq(next(), 1);
	ck_assert_int_eq(tm_doc_verdict(doc, NULL), TM_KEEP);
	ck_assert_int_eq(doc->unchecked, 1);
	ck_assert_mem_eq(tm_doc_text(doc, NULL), "ch\xe0o", 4);
	ck_assert_int_eq(next(), 0);
	buf_free(&big);
}
END_TEST

/* ---- finding files ---------------------------------------------------------- */

START_TEST(test_directories_and_globs)
{
	char *sub = xasprintf("%s/kho", dir), *subsub = xasprintf("%s/kho/cũ", dir);
	ck_assert_int_eq(mkdir(sub, 0777), 0);
	ck_assert_int_eq(mkdir(subsub, 0777), 0);
	put("kho/b.jsonl", "{\"id\":\"b1\",\"text\":\"bê\"}\n{\"id\":\"b2\",\"text\":\"bê hai\"}\n");
	put("kho/a.txt", "a");
	put("kho/cũ/c.txt", "xê");
	put("kho/.ẩn.txt", "hidden files are skipped");
	put("kho/ghi-chú.md", "unknown kinds are skipped in directories");
	ck_assert_ptr_nonnull(open_paths("[kho]"));
	ck_assert_uint_eq(input_file_count(in), 3);
	ck_assert_uint_eq(input_total_bytes(in),
			  strlen("{\"id\":\"b1\",\"text\":\"bê\"}\n{\"id\":\"b2\",\"text\":\"bê hai\"}\n") +
				  strlen("a") + strlen("xê"));
	/* In name order, recursively. */
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("a", "a");
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("b1", "bê");
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("b2", "bê hai");
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("c", "xê");
	ck_assert_source("kho/cũ/c.txt", 0);
	ck_assert_int_eq(next(), 0);

	/* A glob, relative to the config. */
	input_close(in);
	config_free(&pc);
	ck_assert_ptr_nonnull(open_paths("['kho/*.txt', 'kho/*/*.txt']"));
	ck_assert_uint_eq(input_file_count(in), 2);
	ck_assert_int_eq(next(), 1);
	ck_assert_str_eq(tm_doc_id(doc), "a");
	ck_assert_int_eq(next(), 1);
	ck_assert_str_eq(tm_doc_id(doc), "c");
	ck_assert_int_eq(next(), 0);
	free(sub);
	free(subsub);
}
END_TEST

/* Each file is read once, by device and inode: through a link that loops
 * back to a directory being walked (which is not followed), a second link
 * to a directory or a file, or a file named twice. Before, `self -> .`
 * read each file again at every level until the path was too long. */
START_TEST(test_links_and_loops)
{
	char *kho = xasprintf("%s/kho", dir), *con = xasprintf("%s/kho/con", dir);
	ck_assert_int_eq(mkdir(kho, 0777), 0);
	ck_assert_int_eq(mkdir(con, 0777), 0);
	put("kho/a.jsonl", "{\"id\":\"a\",\"text\":\"một\"}\n");
	put("kho/b.txt", "hai");
	put("kho/con/c.txt", "ba");
	char *link = xasprintf("%s/kho/self", dir);
	ck_assert_int_eq(symlink(".", link), 0); /* a loop at the top */
	free(link);
	link = xasprintf("%s/kho/con/up", dir);
	ck_assert_int_eq(symlink("..", link), 0); /* a loop from below */
	free(link);
	link = xasprintf("%s/kho/z-con", dir);
	ck_assert_int_eq(symlink("con", link), 0); /* the same directory again */
	free(link);
	link = xasprintf("%s/kho/z-a.jsonl", dir);
	ck_assert_int_eq(symlink("a.jsonl", link), 0); /* the same file again */
	free(link);
	ck_assert_ptr_nonnull(open_paths("[kho, kho/b.txt, 'kho/*.jsonl', kho/con/up/b.txt]"));
	ck_assert_uint_eq(input_file_count(in), 3);
	ck_assert_uint_eq(input_total_bytes(in), strlen("{\"id\":\"a\",\"text\":\"một\"}\n") + 3 + 2);
	static const char *const ids[] = {"a", "b", "c"};
	for (size_t i = 0; i < 3; i++) {
		ck_assert_int_eq(next(), 1);
		ck_assert_str_eq(tm_doc_id(doc), ids[i]);
	}
	ck_assert_int_eq(next(), 0);
	free(kho);
	free(con);
}
END_TEST

/* Shards of a large input with many shards: the byte ranges are computed
 * without overflow (8 GiB times a shard index near 2^32 does not fit in 64
 * bits), so the file after a large one is in exactly one shard. The large
 * file is sparse and never read. */
START_TEST(test_shards_of_a_large_input)
{
	char *big = xasprintf("%s/a.txt", dir);
	FILE *f = fopen(big, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(ftruncate(fileno(f), (off_t)8 << 30), 0);
	fclose(f);
	put("b.txt", "hai");
	char *cfg = write_file(dir, "pipeline.yaml",
			       "input: {paths: [a.txt, b.txt]}\n"
			       "outputs: [{type: output.jsonl, path: out.jsonl}]\n");
	const unsigned count = 4294967295u;
	unsigned long long total = (8ull << 30) + 3;
	unsigned expected = (unsigned)((unsigned __int128)(8ull << 30) * count / total);
	int holders = 0;
	for (unsigned long long k = expected - 2; k <= expected + 2 && k < count; k++) {
		overrides ov = {.shard_index = (unsigned)k, .shard_count = count};
		config_free(&pc);
		ck_assert_msg(config_load(&pc, cfg, &ov, &err) == 0, "%s", err.p);
		ck_assert_ptr_nonnull(in = input_open(&pc, &err));
		ck_assert_uint_le(input_file_count(in), 1);
		if (input_file_count(in)) {
			holders++;
			ck_assert_int_eq(next(), 1);
			ck_assert_kept("b", "hai");
		}
		input_close(in);
		in = NULL;
	}
	ck_assert_int_eq(holders, 1);
	free(cfg);
	free(big);
}
END_TEST

START_TEST(test_open_errors)
{
	char *cfg = NULL;
	ck_assert_ptr_null(open_paths("[không-có.jsonl]"));
	char *want = xasprintf("input %s/không-có.jsonl: No such file or directory", dir);
	ck_assert_msg(strstr(err.p, want) != NULL, "%s", err.p);
	free(want);
	cfg = xasprintf("%s/pipeline.yaml:2:10: ", dir); /* where the paths are configured */
	ck_assert_msg(!strncmp(err.p, cfg, strlen(cfg)), "%s", err.p);
	free(cfg);
	config_free(&pc);
	buf_clear(&err);

	put("bảng.csv", "a,b\n");
	ck_assert_ptr_null(open_paths("[bảng.csv]"));
	ck_assert_ptr_nonnull(strstr(err.p, "bảng.csv: unknown kind of file (textmill reads .txt, .jsonl, "
					    ".txt.gz, .jsonl.gz, .txt.zst, .jsonl.zst"));
	config_free(&pc);
	buf_clear(&err);

	ck_assert_ptr_null(open_paths("['*.jsonl']"));
	ck_assert_ptr_nonnull(strstr(err.p, "no files match"));
	config_free(&pc);
	buf_clear(&err);

	/* A file that is .gz in name but not in content is read as it is
	 * (zlib passes plain data through). */
	put("giả.jsonl.gz", "{\"id\":\"z\",\"text\":\"không nén\"}\n");
	ck_assert_ptr_nonnull(open_paths("[giả.jsonl.gz]"));
	ck_assert_int_eq(next(), 1);
	ck_assert_kept("z", "không nén");
}
END_TEST

START_TEST(test_mixed_files)
{
	/* JSON Lines, text, JSON Lines again: each file read to its end. */
	put("1.jsonl", "{\"id\":\"x\",\"text\":\"một\"}");
	put("2.txt", "hai");
	put_gz("3.jsonl.gz", "{\"id\":\"y\",\"text\":\"ba\"}\n{\"id\":\"z\",\"text\":\"bốn\"}\n");
	ck_assert_ptr_nonnull(open_paths("[1.jsonl, 2.txt, 3.jsonl.gz]"));
	static const char *const ids[] = {"x", "2", "y", "z"};
	for (size_t i = 0; i < 4; i++) {
		ck_assert_int_eq(next(), 1);
		ck_assert_str_eq(tm_doc_id(doc), ids[i]);
	}
	ck_assert_int_eq(next(), 0);
}
END_TEST

static Suite *input_suite(void)
{
	Suite *s = suite_create("input");
	TCase *tc = tcase_create("jsonl");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_jsonl_crlf);
	tcase_add_test(tc, test_jsonl_no_final_newline);
	tcase_add_test(tc, test_jsonl_blank_lines);
	tcase_add_test(tc, test_jsonl_gz);
	tcase_add_test(tc, test_jsonl_bad_records);
	tcase_add_test(tc, test_jsonl_long_lines);
	tcase_add_test(tc, test_jsonl_broken_ids);
	tcase_add_test(tc, test_byte_order_mark);
	suite_add_tcase(s, tc);

	tc = tcase_create("txt");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_txt_file);
	tcase_add_test(tc, test_txt_empty);
	tcase_add_test(tc, test_txt_large_and_not_utf8);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_jsonl_too_large);
	tcase_add_test(tc, test_txt_too_large);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_directories_and_globs);
	tcase_add_test(tc, test_open_errors);
	tcase_add_test(tc, test_mixed_files);
	tcase_add_test(tc, test_links_and_loops);
	tcase_add_test(tc, test_shards_of_a_large_input);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	unsetenv("TEXTMILL_PLUGIN_PATH");
	use_build_plugins();
	return run_suite(input_suite());
}
