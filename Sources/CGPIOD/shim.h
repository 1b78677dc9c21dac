// libgpiod (Debian libgpiod-dev): v1 (1.6.x) or v2 (2.x), whichever pkg-config finds.
#include <gpiod.h>
