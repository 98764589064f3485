/* stream.h -- the bytes of an input file, decompressed by its name's
 * ending: .gz with zlib, .zst with libzstd, anything else as it is (zlib
 * reads a plain file, or a gzip one on standard input, transparently). It
 * knows nothing of the host, so the unit tests link it alone. */
#ifndef INPUT_STREAM_H
#define INPUT_STREAM_H

#include <stddef.h>

typedef struct in_stream in_stream;

/* Open `path` ("-" is standard input, read through a duplicate of its
 * descriptor). NULL with the reason, naming the file, in err. */
in_stream *stream_open(const char *path, char *err, size_t errlen);
/* Read up to n bytes into dst: the count, 0 at the end of the data, or -1
 * with the reason in err (a read error, a damaged or truncated file). */
long stream_read(in_stream *s, char *dst, size_t n, char *err, size_t errlen);
void stream_close(in_stream *s); /* safe on NULL */
/* The name for messages: "stdin" for "-". */
const char *stream_name(const char *path);

#endif
