// The face engine's model-free parts: the latest-frame-wins runner and the head-pose geometry.
import { describe, expect, it } from 'vitest';
import {
  LatestFrameRunner,
  MESH,
  type LatestFrameOutcome,
} from '../../app/services/vision/engine/face-engine.ts';
import {
  CANONICAL_POSE_LANDMARKS,
  MESH_INPUT_SIZE,
  canonicalPose,
  headRotation,
  toAnalysedFace,
} from '../../app/services/vision/engine/mesh-face.ts';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A runner whose analyses finish only when the test says so. */
function manualRunner() {
  const started: number[] = [];
  const gates = new Map<number, ReturnType<typeof deferred<string>>>();
  const runner = new LatestFrameRunner<number, string>((frame) => {
    started.push(frame);
    const gate = deferred<string>();
    gates.set(frame, gate);
    return gate.promise;
  });
  return { runner, started, gates };
}

describe('LatestFrameRunner', () => {
  it('runs the first frame, keeps only the newest waiting frame, and drops the rest', async () => {
    const { runner, started, gates } = manualRunner();
    const outcomes: Array<Promise<LatestFrameOutcome<string>>> = [];
    for (let frame = 1; frame <= 10; frame++) outcomes.push(runner.submit(frame));

    expect(started).toEqual([1]);
    expect(runner.stats).toEqual({ submitted: 10, analysed: 0, dropped: 8, failed: 0 });
    for (let frame = 2; frame <= 9; frame++)
      await expect(outcomes[frame - 1]).resolves.toEqual({ status: 'dropped' });

    gates.get(1)!.resolve('one');
    await expect(outcomes[0]).resolves.toEqual({ status: 'analysed', result: 'one' });
    await Promise.resolve();
    expect(started).toEqual([1, 10]);

    gates.get(10)!.resolve('ten');
    await expect(outcomes[9]).resolves.toEqual({ status: 'analysed', result: 'ten' });
    await runner.idle();
    expect(runner.stats).toEqual({ submitted: 10, analysed: 2, dropped: 8, failed: 0 });
    expect(runner.busy).toBe(false);
  });

  it('a failed analysis rejects only its own frame and the next frame still runs', async () => {
    const { runner, started, gates } = manualRunner();
    const first = runner.submit(1);
    const second = runner.submit(2);
    gates.get(1)!.reject(new Error('bad frame'));
    await expect(first).rejects.toThrow('bad frame');
    await Promise.resolve();
    expect(started).toEqual([1, 2]);
    gates.get(2)!.resolve('two');
    await expect(second).resolves.toEqual({ status: 'analysed', result: 'two' });
    expect(runner.stats).toMatchObject({ analysed: 1, failed: 1, dropped: 0 });
  });

  it('frames that arrive one at a time are never dropped', async () => {
    const runner = new LatestFrameRunner(async (n: number) => n * 2);
    for (let i = 0; i < 5; i++)
      await expect(runner.submit(i)).resolves.toEqual({ status: 'analysed', result: i * 2 });
    expect(runner.stats).toEqual({ submitted: 5, analysed: 5, dropped: 0, failed: 0 });
  });

  it('clear() drops the waiting frame', async () => {
    const { runner, gates } = manualRunner();
    void runner.submit(1);
    const waiting = runner.submit(2);
    runner.clear();
    await expect(waiting).resolves.toEqual({ status: 'dropped' });
    gates.get(1)!.resolve('one');
    await runner.idle();
    expect(runner.stats).toMatchObject({ analysed: 1, dropped: 1 });
  });
});

type V = [number, number, number];
const rad = (d: number) => (d * Math.PI) / 180;

/**
 * MediaPipe's canonical face (canonical_face_model.obj, cm, y and z negated to image axes) at the
 * points `headRotation` reads besides `CANONICAL_POSE_LANDMARKS`.
 */
const CANONICAL_EXTRA: Record<number, V> = {
  [MESH.chin]: [0, 9.403378, -4.264492],
  [MESH.rightCheekEdge]: [-7.664182, -0.673132, 2.435867],
  [MESH.leftCheekEdge]: [7.664182, -0.673132, 2.435867],
  [MESH.noseTip]: [0, 1.126865, -7.475604],
};

/**
 * MediaPipe's canonical face, 10 px a centimetre (x: image right, y: down, z: away from the
 * camera), posed as asked and moved to (300, 200); the mesh points it does not define sit there too.
 */
function posedMesh(roll: number, yaw: number, pitch: number): V[] {
  const face: Record<number, V> = { ...CANONICAL_EXTRA };
  for (const { index, point } of CANONICAL_POSE_LANDMARKS) face[index] = [point[0], point[1], point[2]];
  const pose = ([x, y, z]: V): V => {
    // pitch (chin up brings the chin towards the camera), then yaw (nose to the image's right), then roll (clockwise).
    const [cp, sp, cy, sy, cr, sr] = [
      Math.cos(rad(pitch)),
      Math.sin(rad(pitch)),
      Math.cos(rad(yaw)),
      Math.sin(rad(yaw)),
      Math.cos(rad(roll)),
      Math.sin(rad(roll)),
    ];
    const y1 = y * cp + z * sp;
    const z1 = -y * sp + z * cp;
    const x2 = x * cy - z1 * sy;
    const z2 = x * sy + z1 * cy;
    return [10 * (x2 * cr - y1 * sr) + 300, 10 * (x2 * sr + y1 * cr) + 200, 10 * z2];
  };
  return Array.from({ length: 478 }, (_, i) => pose(face[i] ?? [0, 0, 0]));
}

describe('headRotation', () => {
  it('is zero for an upright frontal face', () => {
    const r = headRotation(posedMesh(0, 0, 0));
    expect(Math.abs(r.roll) + Math.abs(r.yaw) + Math.abs(r.pitch)).toBeLessThan(0.05);
  });

  it("reads pitch from the canonical face's pose, not from the forehead-to-chin line, which leans 0.7° at rest", () => {
    const mesh = posedMesh(0, 0, 0);
    const [forehead, chin] = [mesh[MESH.foreheadTop]!, mesh[MESH.chin]!];
    // The chin lies deeper than the forehead top: that line alone would read the head 0.7° chin-down.
    const lean = (Math.atan2(chin[2] - forehead[2], chin[1] - forehead[1]) * 180) / Math.PI;
    expect(lean).toBeCloseTo(0.7, 1);
    expect(headRotation(mesh).pitch).toBeCloseTo(0, 5);
    // The jaw dropping (chin down and back) does not move the pitch: the chin is not in the fit.
    const open = posedMesh(0, 0, 0);
    open[MESH.chin] = [open[MESH.chin]![0], open[MESH.chin]![1] + 12, open[MESH.chin]![2] + 8];
    expect(headRotation(open).pitch).toBeCloseTo(0, 5);
  });

  it('canonicalPose recovers a pose at any scale and position', () => {
    const mesh = posedMesh(-7, 31, -22).map(([x, y, z]) => [x * 3.7 - 500, y * 3.7 + 90, z * 3.7 + 4] as V);
    const [roll, yaw, pitch] = canonicalPose(mesh);
    expect(roll).toBeCloseTo(-7, 6);
    expect(yaw).toBeCloseTo(31, 6);
    expect(pitch).toBeCloseTo(-22, 6);
  });

  it.each([
    [15, 0, 0],
    [-20, 0, 0],
    [0, 25, 0],
    [0, -25, 0],
    [0, 0, 12],
    [0, 0, -15],
    [10, -20, 8],
    [-12, 18, -10],
  ])('recovers roll %d°, yaw %d°, pitch %d° with the documented signs', (roll, yaw, pitch) => {
    const r = headRotation(posedMesh(roll, yaw, pitch));
    expect(r.roll).toBeCloseTo(roll, 0);
    expect(r.yaw).toBeCloseTo(yaw, 0);
    expect(r.pitch).toBeCloseTo(pitch, 0);
  });
});

describe('toAnalysedFace', () => {
  it('scales points back to the given image, boxes the mesh, and names the irises by the person', () => {
    // Analysed at half size: x, y and z (pixels of a crop as wide as the model's input) all halve.
    const mesh = posedMesh(0, 0, 0).map(([x, y, z]) => [x / 2, y / 2, z / 2] as V);
    // Person's left iris (468..472) is on the image's right, the right iris (473..477) on the left.
    mesh[468] = [165, 90, 0];
    mesh[469] = [170, 90, 0];
    mesh[470] = [165, 85, 0];
    mesh[471] = [160, 90, 0];
    mesh[472] = [165, 95, 0];
    mesh[473] = [135, 90, 0];
    for (let i = 1; i <= 4; i++) mesh[473 + i] = [135 + [4, 0, -4, 0][i - 1]!, 90 + [0, -4, 0, 4][i - 1]!, 0];
    const face = toAnalysedFace(
      {
        mesh,
        cropSize: MESH_INPUT_SIZE,
        score: 0.97,
        detectorScore: 0.9,
        annotations: { noseTip: [mesh[1]!] },
      },
      0.5,
      1000,
      800,
    );
    expect(face.mesh).toHaveLength(478);
    expect(face.mesh[1]).toEqual([300, 211.3, -74.8]);
    expect(face.iris?.left.center).toEqual([330, 180]);
    expect(face.iris?.left.radius).toBeCloseTo(10, 5);
    expect(face.iris?.right.center).toEqual([270, 180]);
    expect(face.iris?.right.radius).toBeCloseTo(8, 5);
    expect(face.annotations.noseTip).toEqual([[300, 211.3, -74.8]]);
    // Cheek edge to cheek edge (x 222.6..377.4), forehead top to chin (y 117.4..294.0).
    expect(face.box).toEqual([222, 117, 156, 177]);
    expect(face.rotation.roll).toBeCloseTo(0, 1);
    expect(face.rotation.yaw).toBeCloseTo(0, 1);
    expect(face.rotation.pitch).toBeCloseTo(0, 1);
  });

  it('leaves out the irises of a 468-point mesh and clips the box to the image', () => {
    const mesh = posedMesh(0, 0, 0)
      .slice(0, 468)
      .map(([x, y, z]) => [x - 250, y, z] as V);
    const face = toAnalysedFace(
      { mesh, cropSize: 192, score: 1, detectorScore: 1, annotations: { leftEyeIris: [undefined] } },
      1,
      640,
      480,
    );
    expect(face.iris).toBeUndefined();
    expect(face.annotations.leftEyeIris).toBeUndefined();
    expect(face.box[0]).toBe(0);
  });
});
