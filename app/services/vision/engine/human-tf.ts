/**
 * The few tfjs calls the face-analysis worker makes, typed here because human types `human.tf`
 * as `any`. Types only: the worker gets tfjs through the human it loads.
 */
import type { Config, Human as HumanInstance } from '@vladmandic/human';

export interface TfTensor {
  readonly shape: number[];
  data(): Promise<ArrayLike<number>>;
  dispose(): void;
}
export interface WeightsGroup {
  readonly paths: string[];
  readonly weights: unknown[];
}
export interface Tf {
  tensor3d(values: Float32Array, shape: [number, number, number], dtype: 'float32'): TfTensor;
  tensor4d(values: Float32Array, shape: [number, number, number, number], dtype: 'float32'): TfTensor;
  scalar(value: number, dtype: 'float32'): TfTensor;
  tidy<T>(fn: () => T): T;
  div(a: TfTensor, b: number): TfTensor;
  sub(a: TfTensor, b: TfTensor): TfTensor;
  mul(a: TfTensor, b: TfTensor): TfTensor;
  sigmoid(x: TfTensor): TfTensor;
  squeeze(x: TfTensor): TfTensor;
  unstack(x: TfTensor, axis: number): TfTensor[];
  image: {
    resizeBilinear(
      x: TfTensor,
      size: [number, number],
      alignCorners?: boolean,
      halfPixelCenters?: boolean,
    ): TfTensor;
  };
  loadGraphModel(url: string): Promise<SegmentationGraph>;
  zeros(shape: number[], dtype?: string): TfTensor;
  split(x: TfTensor, numOrSizeSplits: number, axis: number): TfTensor[];
  reverse(x: TfTensor, axis: number): TfTensor;
  concat(tensors: TfTensor[], axis: number): TfTensor;
  dispose(t: unknown): void;
  getBackend(): string;
  engine(): { memory(): { numTensors: number; numBytes: number } };
  env(): { getAsync(flag: string): Promise<unknown> };
  version: Record<string, string>;
  io: {
    registerLoadRouter(router: (url: string | string[]) => unknown): void;
    getLoadHandlers(url: string): unknown[];
    getModelArtifactsForJSON(
      json: unknown,
      loadWeights: (manifest: WeightsGroup[]) => Promise<[unknown[], ArrayBuffer]>,
    ): Promise<unknown>;
  };
}
export interface HumanModule {
  Human: new (config: Partial<Config>) => HumanInstance;
}
export interface GraphModelLike {
  readonly inputs?: Array<{ shape?: number[]; dtype?: string }>;
  execute(input: TfTensor, outputs?: unknown): TfTensor | TfTensor[];
}
export interface SegmentationGraph {
  readonly inputs: Array<{ name: string; shape?: number[] }>;
  execute(input: TfTensor): TfTensor | TfTensor[];
  executeAsync(inputs: Record<string, TfTensor>, outputs: string): Promise<TfTensor | TfTensor[]>;
  dispose(): void;
}
