/* jsonl_stream.c -- writes MB megabytes of JSON Lines documents to stdout,
 * fast, for tests that stream more data than fits in memory:
 *     jsonl_stream MB
 * The texts are Vietnamese paragraphs with a counter in each, so every
 * record differs. */
#include <stdio.h>
#include <stdlib.h>

static const char *const paragraphs[] = {
	"Năm %lu, các cơ quan, đơn vị, địa phương chủ động khắc phục khó khăn, tập trung lãnh đạo, chỉ đạo "
	"tăng cường hiệu lực, hiệu quả quản lý nhà nước về quốc phòng.",
	"Đồng chí Nguyễn Văn An, Phó Chủ tịch UBND tỉnh chủ trì hội nghị tại điểm cầu số %lu; "
	"lực lượng dân quân tự vệ được xây dựng vững mạnh, rộng khắp.",
	"Hội nghị được truyền hình trực tuyến tới %lu điểm cầu trên toàn quốc, tổng kết công tác "
	"quốc phòng ở bộ, ngành Trung ương và địa phương.",
};

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: jsonl_stream MB\n");
		return 2;
	}
	unsigned long long limit = strtoull(argv[1], NULL, 10) * 1000000ULL, written = 0;
	static char out[1 << 16];
	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	for (unsigned long i = 0; written < limit; i++) {
		int n = snprintf(out, sizeof out, "{\"id\":\"s%lu\",\"text\":\"", i);
		for (int k = 0; k < 12; k++) {
			n += snprintf(out + n, sizeof out - (size_t)n, paragraphs[(i + (unsigned long)k) % 3],
				      i + (unsigned long)k);
			n += snprintf(out + n, sizeof out - (size_t)n, "\\n\\n");
		}
		n += snprintf(out + n, sizeof out - (size_t)n, "\",\"meta\":{\"n\":%lu}}\n", i);
		if (fwrite(out, 1, (size_t)n, stdout) != (size_t)n)
			return 1;
		written += (unsigned long long)n;
	}
	return fflush(stdout) ? 1 : 0;
}
