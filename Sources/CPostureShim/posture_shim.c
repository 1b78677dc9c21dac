#include "posture_shim.h"
#include <gpiod.h>

// libgpiod v1 defines GPIOD_LINE_BULK_MAX_LINES; v2 does not.
int posture_gpiod_api_version(void) {
#ifdef GPIOD_LINE_BULK_MAX_LINES
    return 1;
#else
    return 2;
#endif
}
