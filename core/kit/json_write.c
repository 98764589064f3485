/* json_write.c -- JSON out: strings, numbers, and a parsed tree back as text. */
#include "textmill/kit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void kit_json_put_string(kit_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	if (kit_buf_reserve(b, len + 2))
		return;
	b->p[b->len++] = '"';
	size_t i = 0;
	while (i < len) {
		size_t run = i;
		i += kit_json_plain_prefix(s + i, len - i);
		if (i > run)
			kit_buf_put(b, s + run, i - run);
		if (i >= len)
			break;
		unsigned char ch = (unsigned char)s[i++];
		char esc[6] = {'\\', 0};
		switch (ch) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		default:
			esc[1] = 'u', esc[2] = '0', esc[3] = '0';
			esc[4] = hex[ch >> 4], esc[5] = hex[ch & 15];
			kit_buf_put(b, esc, 6);
			continue;
		}
		kit_buf_put(b, esc, 2);
	}
	kit_buf_putc(b, '"');
}

void kit_json_put_number(kit_buf *b, double v)
{
	if (!isfinite(v)) {
		kit_buf_puts(b, "null");
	} else if (v == floor(v) && fabs(v) < 1e15) {
		kit_buf_printf(b, "%.0f", v);
	} else {
		char s[32];
		snprintf(s, sizeof s, "%.15g", v);
		if (strtod(s, NULL) != v)
			snprintf(s, sizeof s, "%.17g", v);
		kit_buf_puts(b, s);
	}
}

void kit_json_write(kit_buf *b, const kit_json *v)
{
	switch (v->kind) {
	case KIT_JSON_NULL: kit_buf_puts(b, "null"); return;
	case KIT_JSON_FALSE: kit_buf_puts(b, "false"); return;
	case KIT_JSON_TRUE: kit_buf_puts(b, "true"); return;
	case KIT_JSON_NUMBER: kit_buf_put(b, v->str, v->len); return;
	case KIT_JSON_STRING: kit_json_put_string(b, v->str, v->len); return;
	case KIT_JSON_ARRAY:
	case KIT_JSON_OBJECT:
		kit_buf_putc(b, v->kind == KIT_JSON_ARRAY ? '[' : '{');
		for (const kit_json *c = v->child; c; c = c->next) {
			if (c != v->child)
				kit_buf_putc(b, ',');
			if (v->kind == KIT_JSON_OBJECT) {
				kit_json_put_string(b, c->key, c->key_len);
				kit_buf_putc(b, ':');
			}
			kit_json_write(b, c);
		}
		kit_buf_putc(b, v->kind == KIT_JSON_ARRAY ? ']' : '}');
		return;
	}
}
