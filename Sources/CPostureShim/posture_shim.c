// Version-independent parts of the GPIO shim: the API version and finding a chip by label,
// built only on the posture_gpio_* functions that posture_shim_gpiod_v{1,2}.c implement.
#include "posture_shim.h"
#include "posture_shim_internal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <gpiod.h>

// libgpiod v1 defines GPIOD_LINE_BULK_MAX_LINES; v2 does not.
int posture_gpiod_api_version(void) {
#ifdef GPIOD_LINE_BULK_MAX_LINES
    return 1;
#else
    return 2;
#endif
}

int posture_shim_negative_errno(void) {
    // Some library paths fail without setting errno; never report that as success.
    return errno > 0 ? -errno : -EIO;
}

void posture_shim_copy_string(char *dest, size_t size, const char *src) {
    if (dest == NULL || size == 0) return;
    snprintf(dest, size, "%s", src != NULL ? src : "");
}

// libgpiod v2 has no gpiod_chip_open_by_label, and v1's only looks in /dev; doing it here
// gives both versions the same behaviour and lets tests point `dev_dir` at a fake directory.
int posture_gpio_chip_open_label(const char *dev_dir, const char *label, posture_gpio_chip **out) {
    if (label == NULL || out == NULL) return -EINVAL;
    const char *dir_path = dev_dir != NULL ? dev_dir : "/dev";
    DIR *dir = opendir(dir_path);
    if (dir == NULL) return posture_shim_negative_errno();

    // ENOENT unless a chip could not be opened for lack of permission: then the label may be
    // on that chip, and "join the gpio group" is the useful answer.
    int result = -ENOENT;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (strncmp(entry->d_name, "gpiochip", 8) != 0) continue;
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s/%s", dir_path, entry->d_name) >= (int)sizeof path) continue;
        posture_gpio_chip *chip = NULL;
        int opened = posture_gpio_chip_open_path(path, &chip);
        if (opened == -EACCES || opened == -EPERM) result = opened;
        if (opened != 0) continue;
        char chip_label[128];
        if (posture_gpio_chip_describe(chip, NULL, 0, chip_label, sizeof chip_label, NULL) == 0 &&
            strcmp(chip_label, label) == 0) {
            *out = chip;
            result = 0;
            break;
        }
        posture_gpio_chip_close(chip);
    }
    closedir(dir);
    return result;
}
