#ifndef POSTURE_SHIM_INTERNAL_H
#define POSTURE_SHIM_INTERNAL_H
// Helpers shared by the shim's C files; not part of the module's public header.
#include <stddef.h>

/// -errno, or -EIO when a failing call left errno at 0.
int posture_shim_negative_errno(void);
/// snprintf-style copy that always NUL-terminates and accepts a NULL `src` as "".
void posture_shim_copy_string(char *dest, size_t size, const char *src);
#endif
