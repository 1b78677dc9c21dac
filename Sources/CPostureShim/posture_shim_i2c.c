// The i2c-dev ioctls. ioctl() is variadic, which Swift cannot call.
#include "posture_shim.h"
#include "posture_shim_internal.h"

#include <errno.h>
#include <sys/ioctl.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>

int posture_i2c_set_address(int fd, uint16_t address) {
    return ioctl(fd, I2C_SLAVE, (unsigned long)address) < 0 ? posture_shim_negative_errno() : 0;
}

int posture_i2c_functionality(int fd, unsigned long *funcs) {
    return ioctl(fd, I2C_FUNCS, funcs) < 0 ? posture_shim_negative_errno() : 0;
}

int posture_i2c_write_read(int fd, uint16_t address, const uint8_t *write, uint16_t write_len,
                           uint8_t *read, uint16_t read_len) {
    // Both messages live on the stack: no allocation on the sampling path.
    struct i2c_msg messages[2] = {
        {.addr = address, .flags = 0, .len = write_len, .buf = (uint8_t *)write},
        {.addr = address, .flags = I2C_M_RD, .len = read_len, .buf = read},
    };
    struct i2c_rdwr_ioctl_data transfer = {.msgs = messages, .nmsgs = 2};
    return ioctl(fd, I2C_RDWR, &transfer) < 0 ? posture_shim_negative_errno() : 0;
}
