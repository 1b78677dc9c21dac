#ifndef ALLOCATION_COUNTER_H
#define ALLOCATION_COUNTER_H
// Counts heap allocations made through malloc, calloc, realloc, posix_memalign,
// aligned_alloc and memalign in this process. Linked only into the benchmark executable:
// its definitions of those symbols interpose glibc's (ELF symbol resolution prefers the
// executable), and forward to glibc's __libc_* entry points.
long posture_allocation_count(void);
#endif
