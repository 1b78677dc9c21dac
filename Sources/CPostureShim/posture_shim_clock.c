#include "posture_shim.h"
#include <errno.h>
#include <sys/timex.h>

// 1 if the kernel's clock is synchronised by a time daemon (STA_UNSYNC clear and no
// TIME_ERROR), 0 if not, -errno if adjtimex failed. Read-only: modes = 0.
int posture_clock_synchronized(void) {
    struct timex tx = {0};
    int state = adjtimex(&tx);
    if (state < 0) return -errno;
    return (state != TIME_ERROR && (tx.status & STA_UNSYNC) == 0) ? 1 : 0;
}
