/* html.c -- HTML to text, in one pass and without a parse tree: what a
 * corpus needs of a page is its words and its paragraphs, and a page from
 * a crawl is often not well-formed enough for a tree to help. */
#include "html.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Elements that end a line of text (a paragraph, a cell, a heading). */
static const char *const block_tags[] = {"p",   "br",    "div",     "li",      "ul",     "ol",     "tr",
					 "td",  "th",    "h1",      "h2",      "h3",     "h4",     "h5",
					 "h6",  "table", "section", "article", "header", "footer", "blockquote",
					 "pre", "title", "dd",      "dt",      NULL};
/* Elements whose content is not text. */
static const char *const skip_tags[] = {"script", "style", "noscript", "template", "svg", NULL};

static int in_list(const char *name, size_t n, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && !strncasecmp(list[i], name, n))
			return 1;
	return 0;
}

/* Append a space or a line end, never two of either, and none at the start. */
static void put_break(kit_buf *out, char c)
{
	if (!out->len)
		return;
	char last = out->p[out->len - 1];
	if (last == '\n' || (last == ' ' && c == ' '))
		return;
	if (last == ' ' && c == '\n')
		out->p[out->len - 1] = '\n';
	else
		kit_buf_putc(out, c);
}

/* &amp; &#233; &#xE9; and the few named ones pages use for text; an
 * unknown or broken entity stays as it is. Returns the bytes used. */
static size_t put_entity(const char *s, size_t n, kit_buf *out)
{
	static const struct {
		const char *name, *text;
	} names[] = {{"amp", "&"},         {"lt", "<"},         {"gt", ">"},         {"quot", "\""},
		     {"apos", "'"},        {"nbsp", " "},       {"ndash", "\u2013"}, {"mdash", "\u2014"},
		     {"hellip", "\u2026"}, {"laquo", "\u00AB"}, {"raquo", "\u00BB"}, {"copy", "\u00A9"}};
	size_t end = 1;
	while (end < n && end < 12 && s[end] != ';' && (isalnum((unsigned char)s[end]) || s[end] == '#'))
		end++;
	if (end >= n || s[end] != ';' || end == 1) {
		kit_buf_putc(out, '&');
		return 1;
	}
	if (s[1] == '#') {
		int hex = end > 2 && (s[2] == 'x' || s[2] == 'X');
		char *stop;
		long cp = strtol(s + 2 + hex, &stop, hex ? 16 : 10);
		if (stop != s + end || cp <= 0 || cp > 0x10FFFF) {
			kit_buf_putc(out, '&');
			return 1;
		}
		if (cp == 0xA0)
			put_break(out, ' ');
		else
			kit_buf_put_cp(out, (int32_t)cp);
		return end + 1;
	}
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == end - 1 && !memcmp(s + 1, names[i].name, end - 1)) {
			if (names[i].text[0] == ' ')
				put_break(out, ' ');
			else
				kit_buf_puts(out, names[i].text);
			return end + 1;
		}
	kit_buf_putc(out, '&');
	return 1;
}

/* Past the end of the element `name` that starts at or after s, or the
 * end of the text if it never closes. */
static size_t skip_element(const char *s, size_t n, const char *name, size_t name_len)
{
	for (size_t i = 0; i + 2 + name_len <= n; i++)
		if (s[i] == '<' && s[i + 1] == '/' && !strncasecmp(s + i + 2, name, name_len)) {
			const char *gt = memchr(s + i, '>', n - i);
			return gt ? (size_t)(gt - s) + 1 : n;
		}
	return n;
}

void html_text(const char *html, size_t len, kit_buf *out)
{
	size_t start = out->len;
	size_t i = 0;
	while (i < len) {
		char c = html[i];
		char after = i + 1 < len ? html[i + 1] : 0;
		if (c == '<' && (isalpha((unsigned char)after) || after == '/' || after == '!' || after == '?')) {
			if (i + 4 <= len && !memcmp(html + i, "<!--", 4)) {
				const char *end = NULL;
				for (size_t k = i + 4; !end && k + 3 <= len; k++)
					if (!memcmp(html + k, "-->", 3))
						end = html + k + 3;
				i = end ? (size_t)(end - html) : len;
				continue;
			}
			const char *gt = memchr(html + i, '>', len - i);
			if (!gt) /* a tag cut off at the end: the rest is text */
				break;
			size_t name_at = i + 1 + (html[i + 1] == '/');
			size_t name_len = 0;
			while (name_at + name_len < (size_t)(gt - html) &&
			       isalnum((unsigned char)html[name_at + name_len]))
				name_len++;
			i = (size_t)(gt - html) + 1;
			if (html[name_at - 1] != '/' && in_list(html + name_at, name_len, skip_tags))
				i += skip_element(html + i, len - i, html + name_at, name_len);
			else if (in_list(html + name_at, name_len, block_tags))
				put_break(out, '\n');
			else
				put_break(out, ' ');
			continue;
		}
		if (c == '&') {
			i += put_entity(html + i, len - i, out);
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
			put_break(out, ' ');
			i++;
			continue;
		}
		/* A run of text up to the next markup or space, copied at once
		 * (a '<' that opens no tag among it). */
		size_t j = i + 1;
		while (j < len && html[j] != '<' && html[j] != '&' && html[j] != ' ' && html[j] != '\n' &&
		       html[j] != '\t' && html[j] != '\r' && html[j] != '\f')
			j++;
		kit_buf_put(out, html + i, j - i);
		i = j;
	}
	if (i < len) /* an unclosed '<': the rest is text */
		kit_buf_put(out, html + i, len - i);
	while (out->len > start && (out->p[out->len - 1] == ' ' || out->p[out->len - 1] == '\n'))
		out->p[--out->len] = 0;
}
