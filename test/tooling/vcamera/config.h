/* config.h for building libgphoto2's vusb port driver (the virtual camera) on its own,
 * against the installed libgphoto2_port, for the booth's tests. */
#define HAVE_LIBEXIF 1
#define HAVE_SYS_PARAM_H 1
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
/* The card's folder when VCAMERA_DIR is not set (where upstream installs it). */
#define VCAMERADIR "/usr/share/libgphoto2_port/0.12.1/vcamera"
