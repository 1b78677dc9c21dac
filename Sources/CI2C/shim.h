// libi2c (Debian libi2c-dev): SMBus helpers over /dev/i2c-N. No pkg-config file exists.
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <i2c/smbus.h>
