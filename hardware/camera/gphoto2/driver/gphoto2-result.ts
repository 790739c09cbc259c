/**
 * libgphoto2's result codes (gphoto2-port-result.h and gphoto2-result.h): node-gphoto2 calls
 * back with the bare number, and the camera child passes it on unchanged so the adapter can
 * decide what it means for the booth.
 */
export const GpResult = {
  ok: 0,
  /** Generic; what a Camera object left over from an unplugged camera keeps answering. */
  error: -1,
  badParameters: -2,
  noMemory: -3,
  library: -4,
  unknownPort: -5,
  notSupported: -6,
  /** I/O: the USB device went away (cable out, camera off). */
  io: -7,
  fixedLimitExceeded: -8,
  timeout: -10,
  ioSupportedSerial: -20,
  ioSupportedUsb: -21,
  ioInit: -31,
  ioRead: -34,
  ioWrite: -35,
  ioUpdate: -37,
  ioSerialSpeed: -41,
  ioUsbClearHalt: -51,
  /** The camera is not on the bus (any more). */
  ioUsbFind: -52,
  /** Another process holds the camera's USB interface (gvfs-gphoto2-volume-monitor, a gphoto2). */
  ioUsbClaim: -53,
  ioLock: -60,
  hal: -70,
  corruptedData: -102,
  fileExists: -103,
  modelNotFound: -105,
  directoryNotFound: -107,
  fileNotFound: -108,
  directoryExists: -109,
  /** PTP DeviceBusy (0x2019): on a capture, most often autofocus that could not lock. */
  cameraBusy: -110,
  pathNotAbsolute: -111,
  cancel: -112,
  cameraError: -113,
  osFailure: -114,
  noSpace: -115,
} as const;

/** libgphoto2's own words for each code (gp_result_as_string), for logs and messages. */
const texts: Readonly<Record<number, string>> = {
  [-1]: 'Unspecified error',
  [-2]: 'Bad parameters',
  [-3]: 'Out of memory',
  [-4]: 'Error loading a library',
  [-5]: 'Unknown port',
  [-6]: 'Unsupported operation',
  [-7]: 'I/O problem',
  [-8]: 'Fixed limit exceeded',
  [-10]: 'Timeout reading from or writing to the port',
  [-20]: 'Serial port not supported',
  [-21]: 'USB port not supported',
  [-31]: 'Error initializing the port',
  [-34]: 'Error reading from the port',
  [-35]: 'Error writing to the port',
  [-37]: 'Error updating the port settings',
  [-41]: 'Error setting the serial port speed',
  [-51]: 'Error clearing a halt condition on the USB port',
  [-52]: 'Could not find the requested device on the USB port',
  [-53]: 'Could not claim the USB device',
  [-60]: 'Could not lock the device',
  [-70]: 'libhal error',
  [-102]: 'Corrupted data',
  [-103]: 'File exists',
  [-105]: 'Unknown model',
  [-107]: 'Directory not found',
  [-108]: 'File not found',
  [-109]: 'Directory exists',
  [-110]: 'I/O in progress (camera busy)',
  [-111]: 'Path not absolute',
  [-112]: 'Cancelled',
  [-113]: 'Camera error',
  [-114]: 'OS failure',
  [-115]: 'Not enough space',
};

/** "gphoto2 -7 (I/O problem)" */
export function describeGpResult(code: number): string {
  return `gphoto2 ${code} (${texts[code] ?? 'unknown error'})`;
}
