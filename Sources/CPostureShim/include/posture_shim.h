#ifndef POSTURE_SHIM_H
#define POSTURE_SHIM_H
// Thin C shims with a `posture_` prefix: hide libgpiod v1/v2 and wrap the few
// syscalls Swift cannot call comfortably. Filled in by the hardware layer.
int posture_gpiod_api_version(void);
#endif
