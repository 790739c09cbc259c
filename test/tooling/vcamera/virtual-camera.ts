/**
 * The virtual DSLR for tests: libgphoto2's own virtual camera (README.md beside this file). The
 * preparation lives with the gphoto2 adapter (hardware/camera/gphoto2/virtual-camera.ts) because
 * `kiosk bench` runs on it too; the tests import it from here.
 */
export {
  prepareVirtualCamera,
  repoRoot,
  vcameraIolibs,
  VIRTUAL_CAMERA_MODEL,
  VIRTUAL_CAMERA_PORT,
  virtualCameraAvailability,
  type VirtualCamera,
  type VirtualCameraFault,
  type VirtualCameraOptions,
} from '../../../hardware/camera/gphoto2/virtual-camera.ts';
