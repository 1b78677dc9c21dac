// The GPIO shim over libgpiod v1 (1.6.x): struct gpiod_line objects that belong to a chip.
#include <gpiod.h>
#ifdef GPIOD_LINE_BULK_MAX_LINES

#include "posture_shim.h"
#include "posture_shim_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <time.h>

struct posture_gpio_chip {
    struct gpiod_chip *chip;
    char path[PATH_MAX];
};

// In v1 a requested line belongs to its chip and dies with it, so each requested line owns a
// private chip handle: the caller's posture_gpio_chip may be closed independently.
struct posture_gpio_line {
    struct gpiod_chip *chip;
    struct gpiod_line *line;
};

int posture_gpio_chip_open_path(const char *path, posture_gpio_chip **out) {
    if (path == NULL || out == NULL) return -EINVAL;
    posture_gpio_chip *handle = calloc(1, sizeof *handle);
    if (handle == NULL) return -ENOMEM;
    handle->chip = gpiod_chip_open(path);
    if (handle->chip == NULL) {
        int error = posture_shim_negative_errno();
        free(handle);
        return error;
    }
    posture_shim_copy_string(handle->path, sizeof handle->path, path);
    *out = handle;
    return 0;
}

void posture_gpio_chip_close(posture_gpio_chip *chip) {
    if (chip == NULL) return;
    gpiod_chip_close(chip->chip);
    free(chip);
}

int posture_gpio_chip_describe(posture_gpio_chip *chip, char *name, size_t name_size,
                               char *label, size_t label_size, unsigned int *num_lines) {
    if (chip == NULL) return -EINVAL;
    posture_shim_copy_string(name, name_size, gpiod_chip_name(chip->chip));
    posture_shim_copy_string(label, label_size, gpiod_chip_label(chip->chip));
    if (num_lines != NULL) *num_lines = gpiod_chip_num_lines(chip->chip);
    return 0;
}

int posture_gpio_chip_find_line(posture_gpio_chip *chip, const char *line_name, unsigned int *offset) {
    if (chip == NULL || line_name == NULL || offset == NULL) return -EINVAL;
    errno = 0;
    struct gpiod_line *line = gpiod_chip_find_line(chip->chip, line_name);
    if (line == NULL) return errno > 0 ? -errno : -ENOENT;
    *offset = gpiod_line_offset(line);
    return 0;
}

int posture_gpio_chip_line_consumer(posture_gpio_chip *chip, unsigned int offset,
                                    char *consumer, size_t consumer_size) {
    if (chip == NULL) return -EINVAL;
    struct gpiod_line *line = gpiod_chip_get_line(chip->chip, offset);
    if (line == NULL) return posture_shim_negative_errno();
    if (gpiod_line_update(line) < 0) return posture_shim_negative_errno();  // the cached info may be stale
    posture_shim_copy_string(consumer, consumer_size, gpiod_line_consumer(line));
    return gpiod_line_is_used(line) ? 1 : 0;
}

// Opens a private chip and its line for a request; see struct posture_gpio_line.
static int open_private_line(posture_gpio_chip *chip, unsigned int offset, posture_gpio_line **out) {
    if (chip == NULL || out == NULL) return -EINVAL;
    posture_gpio_line *handle = calloc(1, sizeof *handle);
    if (handle == NULL) return -ENOMEM;
    handle->chip = gpiod_chip_open(chip->path);
    if (handle->chip == NULL) {
        int error = posture_shim_negative_errno();
        free(handle);
        return error;
    }
    handle->line = gpiod_chip_get_line(handle->chip, offset);
    if (handle->line == NULL) {
        int error = posture_shim_negative_errno();
        posture_gpio_line_release(handle);
        return error;
    }
    *out = handle;
    return 0;
}

static int finish_request(int status, posture_gpio_line *handle, posture_gpio_line **out) {
    if (status < 0) {
        int error = posture_shim_negative_errno();
        posture_gpio_line_release(handle);
        return error;
    }
    *out = handle;
    return 0;
}

int posture_gpio_request_output(posture_gpio_chip *chip, unsigned int offset, const char *consumer,
                                bool active_low, int initial_value, posture_gpio_line **out) {
    posture_gpio_line *handle = NULL;
    int error = open_private_line(chip, offset, &handle);
    if (error != 0) return error;
    int flags = active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
    return finish_request(
        gpiod_line_request_output_flags(handle->line, consumer, flags, initial_value ? 1 : 0), handle, out);
}

int posture_gpio_request_rising_edges(posture_gpio_chip *chip, unsigned int offset, const char *consumer,
                                      bool active_low, posture_gpio_line **out) {
    posture_gpio_line *handle = NULL;
    int error = open_private_line(chip, offset, &handle);
    if (error != 0) return error;
    int flags = active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
    return finish_request(
        gpiod_line_request_rising_edge_events_flags(handle->line, consumer, flags), handle, out);
}

// v1 has no debounce (the uAPI v1 has none): the caller debounces in software.
int posture_gpio_request_both_edges(posture_gpio_chip *chip, unsigned int offset, const char *consumer,
                                    bool active_low, posture_gpio_bias bias, uint32_t debounce_us,
                                    bool *kernel_debounced, posture_gpio_line **out) {
    (void)debounce_us;
    if (kernel_debounced == NULL) return -EINVAL;
    *kernel_debounced = false;
    posture_gpio_line *handle = NULL;
    int error = open_private_line(chip, offset, &handle);
    if (error != 0) return error;
    int flags = active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
    switch (bias) {
    case POSTURE_GPIO_BIAS_DISABLED: flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE; break;
    case POSTURE_GPIO_BIAS_PULL_UP: flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP; break;
    case POSTURE_GPIO_BIAS_PULL_DOWN: flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN; break;
    case POSTURE_GPIO_BIAS_AS_IS: break;
    }
    return finish_request(
        gpiod_line_request_both_edges_events_flags(handle->line, consumer, flags), handle, out);
}

int posture_gpio_line_set_value(posture_gpio_line *line, int value) {
    if (line == NULL) return -EINVAL;
    return gpiod_line_set_value(line->line, value ? 1 : 0) < 0 ? posture_shim_negative_errno() : 0;
}

int posture_gpio_line_get_value(posture_gpio_line *line) {
    if (line == NULL) return -EINVAL;
    int value = gpiod_line_get_value(line->line);
    return value < 0 ? posture_shim_negative_errno() : value;
}

int posture_gpio_line_wait_edges(posture_gpio_line *line, int64_t timeout_ns) {
    if (line == NULL) return -EINVAL;
    struct timespec timeout = {.tv_sec = timeout_ns / 1000000000, .tv_nsec = timeout_ns % 1000000000};
    int ready = gpiod_line_event_wait(line->line, timeout_ns < 0 ? NULL : &timeout);
    return ready < 0 ? posture_shim_negative_errno() : ready;
}

int posture_gpio_line_read_edges(posture_gpio_line *line, posture_gpio_edge *events, size_t max_events) {
    if (line == NULL || events == NULL || max_events == 0) return -EINVAL;
    struct gpiod_line_event raw[POSTURE_GPIO_MAX_EDGES_PER_READ];
    unsigned int wanted = max_events < POSTURE_GPIO_MAX_EDGES_PER_READ ? (unsigned int)max_events
                                                                       : POSTURE_GPIO_MAX_EDGES_PER_READ;
    int count = gpiod_line_event_read_multiple(line->line, raw, wanted);
    if (count < 0) return posture_shim_negative_errno();
    for (int i = 0; i < count; i++) {
        events[i].timestamp_ns = (uint64_t)raw[i].ts.tv_sec * 1000000000u + (uint64_t)raw[i].ts.tv_nsec;
        events[i].rising = raw[i].event_type == GPIOD_LINE_EVENT_RISING_EDGE;
    }
    return count;
}

void posture_gpio_line_release(posture_gpio_line *line) {
    if (line == NULL) return;
    if (line->line != NULL) gpiod_line_release(line->line);
    if (line->chip != NULL) gpiod_chip_close(line->chip);
    free(line);
}

#endif  // GPIOD_LINE_BULK_MAX_LINES
