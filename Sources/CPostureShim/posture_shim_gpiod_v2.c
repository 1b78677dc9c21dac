// The GPIO shim over libgpiod v2 (2.x): settings -> line config -> request config -> request.
#include <gpiod.h>
#ifndef GPIOD_LINE_BULK_MAX_LINES

#include "posture_shim.h"
#include "posture_shim_internal.h"

#include <errno.h>
#include <stdlib.h>

struct posture_gpio_chip {
    struct gpiod_chip *chip;
};

// A v2 request is independent of the chip handle it came from.
struct posture_gpio_line {
    struct gpiod_line_request *request;
    struct gpiod_edge_event_buffer *events;  // allocated once at request, so reads never allocate
    unsigned int offset;
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
    struct gpiod_chip_info *info = gpiod_chip_get_info(chip->chip);
    if (info == NULL) return posture_shim_negative_errno();
    posture_shim_copy_string(name, name_size, gpiod_chip_info_get_name(info));
    posture_shim_copy_string(label, label_size, gpiod_chip_info_get_label(info));
    if (num_lines != NULL) *num_lines = (unsigned int)gpiod_chip_info_get_num_lines(info);
    gpiod_chip_info_free(info);
    return 0;
}

int posture_gpio_chip_find_line(posture_gpio_chip *chip, const char *line_name, unsigned int *offset) {
    if (chip == NULL || line_name == NULL || offset == NULL) return -EINVAL;
    errno = 0;
    int found = gpiod_chip_get_line_offset_from_name(chip->chip, line_name);
    if (found < 0) return errno > 0 ? -errno : -ENOENT;
    *offset = (unsigned int)found;
    return 0;
}

int posture_gpio_chip_line_consumer(posture_gpio_chip *chip, unsigned int offset,
                                    char *consumer, size_t consumer_size) {
    if (chip == NULL) return -EINVAL;
    struct gpiod_line_info *info = gpiod_chip_get_line_info(chip->chip, offset);
    if (info == NULL) return posture_shim_negative_errno();
    posture_shim_copy_string(consumer, consumer_size, gpiod_line_info_get_consumer(info));
    int used = gpiod_line_info_is_used(info) ? 1 : 0;
    gpiod_line_info_free(info);
    return used;
}

// Builds the three config objects for one line, requests it, and frees the configs.
static int request_one_line(posture_gpio_chip *chip, unsigned int offset, const char *consumer,
                            struct gpiod_line_settings *settings, posture_gpio_line *handle) {
    int error = 0;
    struct gpiod_line_config *line_config = gpiod_line_config_new();
    struct gpiod_request_config *request_config = gpiod_request_config_new();
    if (line_config == NULL || request_config == NULL) {
        error = -ENOMEM;
    } else if (gpiod_line_config_add_line_settings(line_config, &offset, 1, settings) < 0) {
        error = posture_shim_negative_errno();
    } else {
        gpiod_request_config_set_consumer(request_config, consumer);
        handle->request = gpiod_chip_request_lines(chip->chip, request_config, line_config);
        if (handle->request == NULL) error = posture_shim_negative_errno();
    }
    gpiod_request_config_free(request_config);
    gpiod_line_config_free(line_config);
    return error;
}

static int finish(int error, struct gpiod_line_settings *settings, posture_gpio_line *handle,
                  posture_gpio_line **out) {
    gpiod_line_settings_free(settings);
    if (error != 0) {
        posture_gpio_line_release(handle);
        return error;
    }
    *out = handle;
    return 0;
}

int posture_gpio_request_output(posture_gpio_chip *chip, unsigned int offset, const char *consumer,
                                bool active_low, int initial_value, posture_gpio_line **out) {
    if (chip == NULL || out == NULL) return -EINVAL;
    posture_gpio_line *handle = calloc(1, sizeof *handle);
    struct gpiod_line_settings *settings = gpiod_line_settings_new();
    if (handle == NULL || settings == NULL) return finish(-ENOMEM, settings, handle, out);
    handle->offset = offset;
    int error = 0;
    if (gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_OUTPUT) < 0 ||
        gpiod_line_settings_set_output_value(
            settings, initial_value ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE) < 0) {
        error = posture_shim_negative_errno();
    } else {
        gpiod_line_settings_set_active_low(settings, active_low);
        error = request_one_line(chip, offset, consumer, settings, handle);
    }
    return finish(error, settings, handle, out);
}

static enum gpiod_line_bias v2_bias(posture_gpio_bias bias) {
    switch (bias) {
    case POSTURE_GPIO_BIAS_DISABLED: return GPIOD_LINE_BIAS_DISABLED;
    case POSTURE_GPIO_BIAS_PULL_UP: return GPIOD_LINE_BIAS_PULL_UP;
    case POSTURE_GPIO_BIAS_PULL_DOWN: return GPIOD_LINE_BIAS_PULL_DOWN;
    case POSTURE_GPIO_BIAS_AS_IS: break;
    }
    return GPIOD_LINE_BIAS_AS_IS;
}

// An input with edge events: rising only (a data-ready interrupt) or both (a button).
static int request_input_edges(posture_gpio_chip *chip, unsigned int offset, const char *consumer, bool active_low,
                               enum gpiod_line_edge edge, posture_gpio_bias bias, uint32_t debounce_us,
                               posture_gpio_line **out) {
    if (chip == NULL || out == NULL) return -EINVAL;
    posture_gpio_line *handle = calloc(1, sizeof *handle);
    struct gpiod_line_settings *settings = gpiod_line_settings_new();
    if (handle == NULL || settings == NULL) return finish(-ENOMEM, settings, handle, out);
    handle->offset = offset;
    handle->events = gpiod_edge_event_buffer_new(POSTURE_GPIO_MAX_EDGES_PER_READ);
    if (handle->events == NULL) return finish(-ENOMEM, settings, handle, out);
    int error = 0;
    if (gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_INPUT) < 0 ||
        gpiod_line_settings_set_edge_detection(settings, edge) < 0 ||
        gpiod_line_settings_set_bias(settings, v2_bias(bias)) < 0 ||
        gpiod_line_settings_set_event_clock(settings, GPIOD_LINE_CLOCK_MONOTONIC) < 0) {
        error = posture_shim_negative_errno();
    } else {
        gpiod_line_settings_set_active_low(settings, active_low);
        gpiod_line_settings_set_debounce_period_us(settings, debounce_us);
        error = request_one_line(chip, offset, consumer, settings, handle);
    }
    return finish(error, settings, handle, out);
}

int posture_gpio_request_rising_edges(posture_gpio_chip *chip, unsigned int offset, const char *consumer,
                                      bool active_low, posture_gpio_line **out) {
    return request_input_edges(chip, offset, consumer, active_low, GPIOD_LINE_EDGE_RISING, POSTURE_GPIO_BIAS_AS_IS, 0,
                               out);
}

int posture_gpio_request_both_edges(posture_gpio_chip *chip, unsigned int offset, const char *consumer,
                                    bool active_low, posture_gpio_bias bias, uint32_t debounce_us,
                                    bool *kernel_debounced, posture_gpio_line **out) {
    if (kernel_debounced == NULL) return -EINVAL;
    *kernel_debounced = false;
    int error = request_input_edges(chip, offset, consumer, active_low, GPIOD_LINE_EDGE_BOTH, bias, debounce_us, out);
    if (error == 0) {
        *kernel_debounced = debounce_us > 0;
        return 0;
    }
    // The kernel's software debouncer needs a plain interrupt; on a nested-thread one
    // (hid-cp2112's polled GPIOs) the request fails with EINVAL, and some drivers answer
    // ENOTSUPP (524) or EOPNOTSUPP. Without debounce the line still works.
    if (debounce_us > 0 && (error == -EINVAL || error == -EOPNOTSUPP || error == -524)) {
        return request_input_edges(chip, offset, consumer, active_low, GPIOD_LINE_EDGE_BOTH, bias, 0, out);
    }
    return error;
}

int posture_gpio_line_set_value(posture_gpio_line *line, int value) {
    if (line == NULL) return -EINVAL;
    enum gpiod_line_value level = value ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE;
    return gpiod_line_request_set_value(line->request, line->offset, level) < 0 ? posture_shim_negative_errno() : 0;
}

int posture_gpio_line_get_value(posture_gpio_line *line) {
    if (line == NULL) return -EINVAL;
    enum gpiod_line_value value = gpiod_line_request_get_value(line->request, line->offset);
    if (value == GPIOD_LINE_VALUE_ERROR) return posture_shim_negative_errno();
    return value == GPIOD_LINE_VALUE_ACTIVE ? 1 : 0;
}

int posture_gpio_line_wait_edges(posture_gpio_line *line, int64_t timeout_ns) {
    if (line == NULL) return -EINVAL;
    int ready = gpiod_line_request_wait_edge_events(line->request, timeout_ns);
    return ready < 0 ? posture_shim_negative_errno() : ready;
}

int posture_gpio_line_read_edges(posture_gpio_line *line, posture_gpio_edge *events, size_t max_events) {
    if (line == NULL || line->events == NULL || events == NULL || max_events == 0) return -EINVAL;
    size_t wanted = max_events < POSTURE_GPIO_MAX_EDGES_PER_READ ? max_events : POSTURE_GPIO_MAX_EDGES_PER_READ;
    int count = gpiod_line_request_read_edge_events(line->request, line->events, wanted);
    if (count < 0) return posture_shim_negative_errno();
    for (int i = 0; i < count; i++) {
        struct gpiod_edge_event *event = gpiod_edge_event_buffer_get_event(line->events, (unsigned long)i);
        events[i].timestamp_ns = gpiod_edge_event_get_timestamp_ns(event);
        events[i].rising = gpiod_edge_event_get_event_type(event) == GPIOD_EDGE_EVENT_RISING_EDGE;
    }
    return count;
}

void posture_gpio_line_release(posture_gpio_line *line) {
    if (line == NULL) return;
    if (line->request != NULL) gpiod_line_request_release(line->request);
    if (line->events != NULL) gpiod_edge_event_buffer_free(line->events);
    free(line);
}

#endif  // !GPIOD_LINE_BULK_MAX_LINES
