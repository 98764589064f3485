/* html.h -- the text of an HTML page, for readers of web crawls: tags
 * out, script and style out, entities decoded, block elements and <br>
 * as line ends, runs of spaces as one. It knows nothing of the host. */
#ifndef INPUT_HTML_H
#define INPUT_HTML_H

#include <stddef.h>
#include <textmill/kit.h>

/* Append the text of html[0, len) to out (check kit_buf_failed after).
 * Bytes are copied as they are, so text in another encoding than UTF-8
 * stays for the host's check to find. */
void html_text(const char *html, size_t len, kit_buf *out);

#endif
