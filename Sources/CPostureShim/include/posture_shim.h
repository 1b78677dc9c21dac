#ifndef POSTURE_SHIM_H
#define POSTURE_SHIM_H
// Thin C shims with a `posture_` prefix, in the style of swift-nio's CNIOLinux:
//  - libgpiod v1 (1.6.x) and v2 (2.x) behind one small API, chosen at compile time
//    (see posture_shim_gpiod_v1.c / posture_shim_gpiod_v2.c);
//  - the I2C ioctls Swift cannot call (ioctl is variadic).
// This header includes no libgpiod header, so it is the same for both libgpiod builds.
// Every function returning int returns 0 (or a count) on success and a negative errno on failure.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when built against libgpiod v1 (1.6.x), 2 when built against libgpiod v2 (2.x).
int posture_gpiod_api_version(void);

// MARK: GPIO chips

/// An open GPIO chip (/dev/gpiochipN). Opaque; close with posture_gpio_chip_close.
typedef struct posture_gpio_chip posture_gpio_chip;

/// Opens the chip at `path` ("/dev/gpiochip0"). -ENOENT if absent, -ENODEV/-ENOTTY if `path`
/// is not a GPIO character device, -EACCES without permission.
int posture_gpio_chip_open_path(const char *path, posture_gpio_chip **out);
/// Opens the first chip in `dev_dir` (NULL means "/dev") whose entry is named gpiochip* and
/// whose label is `label` ("pinctrl-rp1", "cp2112_gpio"). -ENOENT if none has that label.
int posture_gpio_chip_open_label(const char *dev_dir, const char *label, posture_gpio_chip **out);
void posture_gpio_chip_close(posture_gpio_chip *chip);

/// Copies the chip's kernel name ("gpiochip0") and label (both NUL-terminated, truncated to
/// the buffer) and its number of lines.
int posture_gpio_chip_describe(posture_gpio_chip *chip, char *name, size_t name_size,
                               char *label, size_t label_size, unsigned int *num_lines);
/// Finds a line by its name ("GPIO17"); -ENOENT if no line of this chip has that name.
int posture_gpio_chip_find_line(posture_gpio_chip *chip, const char *line_name, unsigned int *offset);
/// Tells whether a line is in use: 0 if free, 1 if used (the consumer, possibly empty when the
/// kernel does not name it, is copied into `consumer`), or a negative errno (-EINVAL: no such offset).
int posture_gpio_chip_line_consumer(posture_gpio_chip *chip, unsigned int offset,
                                    char *consumer, size_t consumer_size);

// MARK: Requested lines

/// One requested line. It does not borrow the chip handle it was requested from: the chip may
/// be closed while the line stays requested. Release with posture_gpio_line_release; the kernel
/// also releases it when the process exits or crashes.
typedef struct posture_gpio_line posture_gpio_line;

/// Requests `offset` as an output driven to `initial_value` (0 or 1, logical).
int posture_gpio_request_output(posture_gpio_chip *chip, unsigned int offset, const char *consumer,
                                bool active_low, int initial_value, posture_gpio_line **out);
/// Requests `offset` as an input with rising-edge events, timestamped by the kernel with
/// CLOCK_MONOTONIC. With `active_low`, "rising" is the logical rise (a physical falling edge).
int posture_gpio_request_rising_edges(posture_gpio_chip *chip, unsigned int offset, const char *consumer,
                                      bool active_low, posture_gpio_line **out);
/// The bias of an input line: what holds it when nothing drives it (a button to ground wants
/// a pull-up). A chip that cannot bias its lines ignores it (the kernel treats it as optional).
typedef enum posture_gpio_bias {
    POSTURE_GPIO_BIAS_AS_IS = 0,
    POSTURE_GPIO_BIAS_DISABLED = 1,
    POSTURE_GPIO_BIAS_PULL_UP = 2,
    POSTURE_GPIO_BIAS_PULL_DOWN = 3,
} posture_gpio_bias;
/// Requests `offset` as an input with events on both edges (a button), kernel-timestamped with
/// CLOCK_MONOTONIC, biased as asked. `debounce_us` > 0 asks the kernel to debounce (libgpiod v2
/// only: `debounce_period_us`); when the kernel cannot on this line (libgpiod v1, or a chip
/// whose interrupts are nested threads, such as hid-cp2112, where the kernel's software
/// debouncer cannot attach) the line is requested without it and `*kernel_debounced` is false,
/// so the caller debounces in software.
int posture_gpio_request_both_edges(posture_gpio_chip *chip, unsigned int offset, const char *consumer,
                                    bool active_low, posture_gpio_bias bias, uint32_t debounce_us,
                                    bool *kernel_debounced, posture_gpio_line **out);
int posture_gpio_line_set_value(posture_gpio_line *line, int value);
/// Returns the logical value (0 or 1) or a negative errno.
int posture_gpio_line_get_value(posture_gpio_line *line);

/// One edge event; `timestamp_ns` is the kernel's CLOCK_MONOTONIC time of the edge.
typedef struct posture_gpio_edge {
    uint64_t timestamp_ns;
    int32_t rising;
} posture_gpio_edge;

/// The most events one posture_gpio_line_read_edges call returns.
#define POSTURE_GPIO_MAX_EDGES_PER_READ 16

/// Waits for edge events: 1 if some are ready, 0 on timeout. `timeout_ns` < 0 waits forever.
int posture_gpio_line_wait_edges(posture_gpio_line *line, int64_t timeout_ns);
/// Reads up to `max_events` (at most POSTURE_GPIO_MAX_EDGES_PER_READ) pending events without
/// allocating; blocks if none is pending. Returns the count read.
int posture_gpio_line_read_edges(posture_gpio_line *line, posture_gpio_edge *events, size_t max_events);
void posture_gpio_line_release(posture_gpio_line *line);

// MARK: I2C (linux/i2c-dev.h ioctls)

/// ioctl(I2C_SLAVE): later read()/write()/SMBus calls on `fd` talk to `address` (7-bit).
/// -EBUSY if a kernel driver owns that address.
int posture_i2c_set_address(int fd, uint16_t address);
/// ioctl(I2C_FUNCS): the adapter's I2C_FUNC_* bits.
int posture_i2c_functionality(int fd, unsigned long *funcs);
/// ioctl(I2C_RDWR) with two messages and one STOP: write `write_len` bytes (the register),
/// repeated START, read `read_len` bytes. For bursts longer than SMBus's 32-byte block.
int posture_i2c_write_read(int fd, uint16_t address, const uint8_t *write, uint16_t write_len,
                           uint8_t *read, uint16_t read_len);

// MARK: Threads

/// Names the calling thread (at most 15 characters; longer names are cut), so `top -H` and
/// crash reports show which thread is which. pthread_setname_np needs _GNU_SOURCE, which the
/// Swift Glibc module does not see.
int posture_thread_set_name(const char *name);

// MARK: Real time (posture_shim_realtime.c)

/// CLOCK_MONOTONIC now, nanoseconds.
int64_t posture_monotonic_ns(void);
/// clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) until `deadline_ns`, restarted on EINTR,
/// so deadlines never drift. Returns at once for a deadline in the past.
int posture_sleep_until_ns(int64_t deadline_ns);
/// mlockall(MCL_CURRENT | MCL_FUTURE). -EPERM without CAP_IPC_LOCK, -ENOMEM when
/// RLIMIT_MEMLOCK is too small.
int posture_lock_memory(void);
/// A pthread_t, as an integer Swift can hold (pthread_t is an unsigned long on glibc).
typedef uint64_t posture_thread_handle;
/// Creates a joinable thread running body(context) with `stack_bytes` of stack (0: default)
/// and, when `fifo_priority` > 0, SCHED_FIFO at that priority set at creation
/// (PTHREAD_EXPLICIT_SCHED): -EPERM when the process may not use it. The thread starts with
/// 1 ns of timer slack (PR_SET_TIMERSLACK), so its deadline sleeps are not rounded up by 50 µs.
int posture_thread_start(void *(*body)(void *), void *context, size_t stack_bytes, int fifo_priority,
                         posture_thread_handle *out);
int posture_thread_join(posture_thread_handle thread);
/// 1 if the calling thread runs SCHED_FIFO (its priority in `priority`), 0 if not, or -errno.
int posture_thread_current_policy(int *priority);

#ifdef __cplusplus
}
#endif
// Clock: 1 if the system clock is synchronised (adjtimex, read-only), 0 if not, -errno on error.
int posture_clock_synchronized(void);

#endif
