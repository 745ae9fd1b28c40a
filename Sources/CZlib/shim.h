// zlib (Debian: zlib1g-dev; part of macOS): PNG's DEFLATE stream and CRC-32.
#include <zlib.h>
