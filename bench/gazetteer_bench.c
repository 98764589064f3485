/* gazetteer_bench.c -- speed and memory of the gazetteer and of folding,
 * on synthetic Vietnamese: names and running text made of common
 * syllables (so that many names start matching everywhere).
 *
 * Build and run: bash bench/gazetteer_bench.sh [names] [text MB]
 * (defaults 10000 names, 4 MB of text). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>

#define REPEAT 3

#include "gazetteer.h"
#include "textops.h"

static const char *const SYL[] = {
	"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
	"Hồ", "Ngô", "Dương", "Lý", "Văn", "Thị", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Ngọc",
	"Xuân", "Công", "Đình", "Bảo", "Gia", "Kim", "Thu", "Hải", "An", "Bình", "Cường", "Dũng",
	"Giang", "Hà", "Hiếu", "Hùng", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc",
	"Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Việt", "Yến", "Bộ", "Quốc", "phòng", "Sở",
	"Ủy", "ban", "nhân", "dân", "tỉnh", "thành", "phố", "Công", "ty", "cổ", "phần", "Tập",
	"đoàn", "Ngân", "hàng", "Trường", "Đại", "học", "Bệnh", "viện", "Quân", "khu", "Huyện",
};
static const char *const WORDS[] = {
	"và", "của", "là", "có", "được", "cho", "trong", "với", "các", "những", "người", "đã",
	"này", "không", "một", "năm", "khi", "về", "theo", "tại", "đến", "từ", "ra", "sẽ", "cũng",
	"nhưng", "vì", "để", "nên", "thì", "lại", "còn", "đang", "mới", "rất", "nhiều", "hơn",
	"phát", "triển", "kinh", "tế", "xã", "hội", "chính", "sách", "dự", "án", "hội", "nghị",
};
#define NSYL (sizeof SYL / sizeof *SYL)
#define NWORDS (sizeof WORDS / sizeof *WORDS)

static unsigned rng = 2463534242u;
static unsigned next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void name(char *buf, size_t size)
{
	int n = 2 + (int)(next() % 3);
	size_t o = 0;
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? " " : "", SYL[next() % NSYL]);
}

int main(int argc, char **argv)
{
	unsigned nnames = argc > 1 ? (unsigned)atoi(argv[1]) : 10000;
	size_t mb = argc > 2 ? (size_t)atoi(argv[2]) : 4, cap = mb << 20, len = 0;
	char *text = malloc(cap + 256), buf[256];
	static const struct {
		const char *label;
		unsigned flags;
		int mode;
	} runs[] = {
		{"case-insensitive, whole words, longest", GAZETTEER_CASE_INSENSITIVE | GAZETTEER_WHOLE_WORDS,
		 GAZETTEER_LONGEST},
		{"case+diacritics-insensitive, whole words, longest",
		 GAZETTEER_CASE_INSENSITIVE | GAZETTEER_DIACRITICS_INSENSITIVE | GAZETTEER_WHOLE_WORDS,
		 GAZETTEER_LONGEST},
		{"case+diacritics-insensitive, whole words, all",
		 GAZETTEER_CASE_INSENSITIVE | GAZETTEER_DIACRITICS_INSENSITIVE | GAZETTEER_WHOLE_WORDS,
		 GAZETTEER_ALL},
		{"sensitive, no word check, longest", 0, GAZETTEER_LONGEST},
	};

	/* Running text: common words, a syllable of a name now and then, a
	 * whole name from time to time, sentences. */
	while (len < cap) {
		unsigned r = next() % 100;
		if (r < 3)
			name(buf, sizeof buf);
		else if (r < 25)
			snprintf(buf, sizeof buf, "%s", SYL[next() % NSYL]);
		else
			snprintf(buf, sizeof buf, "%s", WORDS[next() % NWORDS]);
		len += (size_t)snprintf(text + len, cap + 256 - len, "%s%s", buf, next() % 12 ? " " : ". ");
	}
	printf("text: %.1f MB, %u names\n", len / 1e6, nnames);

	/* Each timing is the best of REPEAT runs (the machine may be busy). */
	{
		textops_buf fb = {0};
		double best[3] = {1e9, 1e9, 1e9};
		for (int rep = 0; rep < REPEAT; rep++) {
			double t0 = now();
			textops_fold_into(&fb, text, len, TEXTOPS_FOLD_CASE | TEXTOPS_FOLD_MARKS, true, NULL);
			best[0] = fmin(best[0], now() - t0);
			t0 = now();
			textops_fold_into(&fb, text, len, TEXTOPS_FOLD_CASE | TEXTOPS_FOLD_MARKS, false, NULL);
			best[1] = fmin(best[1], now() - t0);
			t0 = now();
			for (size_t at = 0; at < len; at += 8192)
				textops_fold_into(&fb, text + at, len - at < 8192 ? len - at : 8192,
				                  TEXTOPS_FOLD_CASE | TEXTOPS_FOLD_MARKS, true, NULL);
			best[2] = fmin(best[2], now() - t0);
		}
		printf("fold: one text %.0f MB/s with offsets, %.0f MB/s without; "
		       "8 KB pieces %.0f MB/s with offsets\n",
		       len / 1e6 / best[0], len / 1e6 / best[1], len / 1e6 / best[2]);
		textops_buf_free(&fb);
	}

	for (size_t r = 0; r < sizeof runs / sizeof *runs; r++) {
		gazetteer *g = gazetteer_new(runs[r].flags);
		gazetteer_scratch sc = {0};
		double t0 = now(), tb, ts, td;
		size_t nm, name_bytes = 0;
		unsigned saved = rng;
		rng = 12345;
		for (unsigned i = 0; i < nnames; i++) {
			name(buf, sizeof buf);
			gazetteer_add(g, buf, strlen(buf), i, NULL);
			name_bytes += strlen(buf);
		}
		gazetteer_build(g);
		tb = now() - t0;
		rng = saved;
		ts = td = 1e9;
		for (int rep = 0; rep < REPEAT; rep++) {
			t0 = now();
			gazetteer_search(g, text, len, 0, runs[r].mode, &sc, NULL);
			ts = fmin(ts, now() - t0);
			nm = sc.n;
			/* The same text as documents of about 8 KB (news articles),
			 * with the scratch reused as the Lua binding does. */
			t0 = now();
			for (size_t at = 0; at < len;) {
				size_t end = at + 8192 < len ? at + 8192 : len;
				while (end < len && text[end - 1] != ' ')
					end++;
				gazetteer_search(g, text + at, end - at, 0, runs[r].mode, &sc, NULL);
				at = end;
			}
			td = fmin(td, now() - t0);
		}
		if (r == 0)
			printf("names: %.1f bytes on average\n", (double)name_bytes / nnames);
		printf("%s:\n  build %.0f ms, memory %.1f MB; search: one text %.0f MB/s (%zu matches), "
		       "8 KB documents %.0f MB/s\n",
		       runs[r].label, tb * 1e3, gazetteer_memory(g) / 1e6, len / 1e6 / ts, nm,
		       len / 1e6 / td);
		gazetteer_scratch_free(&sc);
		gazetteer_free(g);
	}
	free(text);
	return 0;
}
