// Thread naming: pthread_setname_np is a GNU extension, invisible to Swift's Glibc module.
#define _GNU_SOURCE
#include "posture_shim.h"

#include <pthread.h>
#include <string.h>

int posture_thread_set_name(const char *name) {
    char truncated[16];  // the kernel's TASK_COMM_LEN, including the NUL
    strncpy(truncated, name, sizeof truncated - 1);
    truncated[sizeof truncated - 1] = '\0';
    return -pthread_setname_np(pthread_self(), truncated);
}
