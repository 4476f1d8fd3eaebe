// zlib (Debian: zlib1g-dev, which the Swift toolchain itself requires on Linux).
#include <zlib.h>
