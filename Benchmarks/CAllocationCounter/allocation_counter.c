#define _GNU_SOURCE
#include "allocation_counter.h"
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static atomic_long allocations;

// Per-thread counting. `watched_tid` is 0 unless a benchmark is watching one thread; then
// every allocation compares the calling thread's id (cached in a thread-local on its first
// allocation while watching: one gettid syscall per thread, never a libc call that could
// allocate, so no recursion) with it. When nobody watches, the extra cost of malloc is
// one relaxed atomic load. Initial-exec TLS: this object is linked into the executable, so
// the variable lives in the static TLS block and reading it never allocates.
static atomic_int watched_tid;
static atomic_long watched_allocations;
static __thread __attribute__((tls_model("initial-exec"))) pid_t cached_tid;

long posture_allocation_count(void) { return atomic_load(&allocations); }

static inline void count_one(void) {
    atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
    int watched = atomic_load_explicit(&watched_tid, memory_order_relaxed);
    if (watched != 0) {
        pid_t self = cached_tid;
        if (self == 0) {
            self = (pid_t)syscall(SYS_gettid);
            cached_tid = self;
        }
        if (self == watched) atomic_fetch_add_explicit(&watched_allocations, 1, memory_order_relaxed);
    }
}

void *malloc(size_t size) {
    count_one();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    count_one();
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    count_one();
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
    count_one();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) { return memalign(alignment, size); }

int posix_memalign(void **out, size_t alignment, size_t size) {
    void *p = memalign(alignment, size);
    if (p == NULL) return ENOMEM;
    *out = p;
    return 0;
}

// Reads /proc/self/task/TID/comm without stdio (plain read into a stack buffer).
static int thread_name_matches(const char *tid, const char *name) {
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%s/comm", tid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    char comm[32];
    ssize_t n = read(fd, comm, sizeof comm - 1);
    close(fd);
    if (n <= 0) return 0;
    comm[n] = '\0';
    if (comm[n - 1] == '\n') comm[n - 1] = '\0';
    char truncated[16];  // the kernel keeps 15 bytes of a thread's name
    strncpy(truncated, name, sizeof truncated - 1);
    truncated[sizeof truncated - 1] = '\0';
    return strcmp(comm, truncated) == 0;
}

int posture_allocation_watch_thread_named(const char *name) {
    DIR *tasks = opendir("/proc/self/task");
    if (tasks == NULL) return -errno;
    int matches = 0;
    pid_t found = 0;
    struct dirent *entry;
    while ((entry = readdir(tasks)) != NULL) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
        if (thread_name_matches(entry->d_name, name)) {
            if (matches == 0) found = (pid_t)atoi(entry->d_name);
            matches++;
        }
    }
    closedir(tasks);
    if (matches == 0) return 0;
    atomic_store(&watched_allocations, 0);
    atomic_store(&watched_tid, (int)found);
    return matches;
}

int posture_allocation_watched_thread_id(void) { return atomic_load(&watched_tid); }

long posture_allocation_watched_count(void) { return atomic_load(&watched_allocations); }

void posture_allocation_watch_stop(void) { atomic_store(&watched_tid, 0); }

int posture_allocation_set_current_thread_name(const char *name) {
    char truncated[16];
    strncpy(truncated, name, sizeof truncated - 1);
    truncated[sizeof truncated - 1] = '\0';
    return -pthread_setname_np(pthread_self(), truncated);
}
