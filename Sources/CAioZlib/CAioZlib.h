// The system zlib for AioStreams, with the two initializers zlib defines as macros (which Swift
// cannot call) as functions.
#ifndef C_AIO_ZLIB_H
#define C_AIO_ZLIB_H

#include <zlib.h>

static inline int CAioZlib_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

static inline int CAioZlib_deflateInit2(z_streamp stream, int level, int method, int windowBits, int memLevel, int strategy) {
    return deflateInit2(stream, level, method, windowBits, memLevel, strategy);
}

#endif
