import { z } from 'zod';
import { pathText } from '../../../core/config-fields.ts';

/**
 * `hardware.camera` for a DSLR through libgphoto2 (npm `gphoto2`, run in a child process of its
 * own: see adapter/gphoto2-camera.ts).
 */
export const gphoto2CameraSchema = z.strictObject({
  adapter: z.literal('gphoto2'),
  /**
   * libgphoto2's port of the camera, e.g. "usb:001,004" (`gphoto2 --auto-detect` lists them).
   * Without it the first camera found is used. A USB port number changes when the cable moves
   * to another socket, so a booth with one camera is better off without it.
   */
  port: pathText()
    .regex(/^[a-z]+:/, 'must be a libgphoto2 port such as "usb:001,004"')
    .optional(),
  /** Live view runs at the camera's own rate, but never faster than this. */
  maxFps: z.number().int('must be a whole number').min(1).max(60).default(25),
  /** How long a still may take, from the trigger to the last byte downloaded. */
  captureTimeoutMs: z
    .number()
    .int('must be a whole number of milliseconds')
    .min(1000, 'must be at least 1000 ms (a DSLR needs that to focus and write)')
    .max(60_000, 'must be at most 60000 ms')
    .default(8000),
  /**
   * How many times a capture is tried again when the camera says it is busy (autofocus could
   * not lock: gphoto2 -110, PTP 0x2019) before the session shows the camera error.
   */
  focusRetries: z.number().int('must be a whole number').min(0).max(10).default(2),
  /**
   * Between customers (no live view), the camera is asked something this often so it does not
   * go to sleep; unset or 0: never (set the camera's own auto power-off to off instead).
   */
  keepAliveMinutes: z.number().min(0).max(240).optional(),
  /**
   * Camera settings set before every capture, by their libgphoto2 names and as the camera lists
   * their choices (`gphoto2 --get-config f-number`), e.g. `{ "f-number": "f/8", "iso": "200",
   * "imageformat": "Large Fine JPEG" }`: live view changes some of them on some bodies, so they
   * are set again each time. One the camera refuses fails the capture with its name.
   */
  captureSettings: z
    .record(
      z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/i, 'a libgphoto2 config name such as "f-number"'),
      z.union([z.string().min(1).max(64), z.number()]),
    )
    .default({}),
  /**
   * A private folder for the files libgphoto2 can only hand over through the file system (each
   * live-view frame is one; each is read and deleted at once). Default: `camera-scratch` in the
   * data directory. A tmpfs of the booth's own is best; never a shared /tmp.
   */
  scratchDir: pathText().optional(),
});

export type Gphoto2CameraConfig = z.infer<typeof gphoto2CameraSchema>;
