// The sampling loop's real-time primitives: absolute-deadline sleeps on CLOCK_MONOTONIC,
// mlockall, and a thread created with its scheduling policy set atomically (so a refused
// SCHED_FIFO is an error at creation, not a thread that silently runs SCHED_OTHER).
#define _GNU_SOURCE
#include "posture_shim.h"
#include "posture_shim_internal.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>

int64_t posture_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);  // cannot fail for CLOCK_MONOTONIC with a valid pointer
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int posture_sleep_until_ns(int64_t deadline_ns) {
    if (deadline_ns < 0) return 0;
    struct timespec ts = {.tv_sec = (time_t)(deadline_ns / 1000000000LL),
                          .tv_nsec = (long)(deadline_ns % 1000000000LL)};
    for (;;) {
        // clock_nanosleep returns the error number itself (it does not set errno). With
        // TIMER_ABSTIME a signal-interrupted sleep is simply restarted on the same deadline.
        int rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
        if (rc == 0) return 0;
        if (rc != EINTR) return -rc;
    }
}

int posture_lock_memory(void) {
    return mlockall(MCL_CURRENT | MCL_FUTURE) == 0 ? 0 : posture_shim_negative_errno();
}

struct posture_thread_start_args {
    void *(*body)(void *);
    void *context;
};

/// The thread's first act: 1 ns of timer slack. The loop sleeps to absolute deadlines, and a
/// SCHED_OTHER thread's default slack (50 µs) lets the kernel wake it up to that much late on
/// every period; SCHED_FIFO threads have none anyway. One syscall, before the first deadline.
static void *posture_thread_trampoline(void *raw) {
    struct posture_thread_start_args args = *(struct posture_thread_start_args *)raw;
    free(raw);
    (void)prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);  // best effort: a refusal leaves the default
    return args.body(args.context);
}

int posture_thread_start(void *(*body)(void *), void *context, size_t stack_bytes, int fifo_priority,
                         posture_thread_handle *out) {
    struct posture_thread_start_args *args = malloc(sizeof *args);
    if (args == NULL) return -ENOMEM;
    args->body = body;
    args->context = context;
    pthread_attr_t attr;
    int rc = pthread_attr_init(&attr);
    if (rc != 0) {
        free(args);
        return -rc;
    }
    if (stack_bytes > 0 && (rc = pthread_attr_setstacksize(&attr, stack_bytes)) != 0) goto done;
    if (fifo_priority > 0) {
        struct sched_param param;
        memset(&param, 0, sizeof param);
        param.sched_priority = fifo_priority;
        if ((rc = pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED)) != 0) goto done;
        if ((rc = pthread_attr_setschedpolicy(&attr, SCHED_FIFO)) != 0) goto done;
        if ((rc = pthread_attr_setschedparam(&attr, &param)) != 0) goto done;
    }
    pthread_t thread;
    rc = pthread_create(&thread, &attr, posture_thread_trampoline, args);  // EPERM: SCHED_FIFO not permitted
    if (rc == 0) {
        *out = (posture_thread_handle)thread;
        args = NULL;  // the thread owns it now
    }
done:
    free(args);
    pthread_attr_destroy(&attr);
    return -rc;
}

int posture_thread_join(posture_thread_handle thread) {
    return -pthread_join((pthread_t)thread, NULL);
}

int posture_thread_current_policy(int *priority) {
    int policy = 0;
    struct sched_param param;
    int rc = pthread_getschedparam(pthread_self(), &policy, &param);
    if (rc != 0) return -rc;
    if (priority) *priority = param.sched_priority;
    return policy == SCHED_FIFO ? 1 : 0;
}
