#ifndef ALLOCATION_COUNTER_H
#define ALLOCATION_COUNTER_H
// Counts heap allocations made through malloc, calloc, realloc, posix_memalign,
// aligned_alloc and memalign in this process. Linked only into the benchmark executable:
// its definitions of those symbols interpose glibc's (ELF symbol resolution prefers the
// executable), and forward to glibc's __libc_* entry points.
long posture_allocation_count(void);

// Per-thread counting, for one thread at a time (e.g. the daemon's "postured-loop").
// Finds the threads of this process whose name (/proc/self/task/*/comm, 15 bytes at most)
// is `name`, starts watching the first one and zeroes the watched count. Returns how many
// threads have that name (0: none, nothing watched; negative: -errno reading /proc).
// While watching, each allocation costs one thread-id comparison more (the id is cached
// per thread); while not watching, one relaxed atomic load.
int posture_allocation_watch_thread_named(const char *name);
// The kernel thread id being watched, 0 when not watching.
int posture_allocation_watched_thread_id(void);
// Allocations made on the watched thread since the watch started.
long posture_allocation_watched_count(void);
// Stops watching (the count is kept until the next watch starts).
void posture_allocation_watch_stop(void);
// Names the calling thread (15 bytes kept), for the counter's positive control. 0 or -errno.
int posture_allocation_set_current_thread_name(const char *name);
#endif
