/** The in-memory shape of an IPP message, close to the wire so encoding round-trips exactly. */

export interface IppResolution {
  readonly kind: 'resolution';
  readonly x: number;
  readonly y: number;
  /** 3 = dots per inch, 4 = dots per centimetre. */
  readonly units: number;
}

export interface IppRange {
  readonly kind: 'range';
  readonly lower: number;
  readonly upper: number;
}

export interface IppCollection {
  readonly kind: 'collection';
  readonly members: readonly IppAttribute[];
}

/** An attribute whose value is out of band ("no-value", "unknown", ...) has no values. */
export type IppValue = number | boolean | string | Buffer | Date | IppResolution | IppRange | IppCollection;

export interface IppAttribute {
  readonly name: string;
  /** The value tag of the first value; all values of one attribute are encoded with it. */
  readonly tag: number;
  readonly values: readonly IppValue[];
}

export interface IppGroup {
  /** One of GroupTag. */
  readonly tag: number;
  readonly attributes: readonly IppAttribute[];
}

export interface IppMessage {
  readonly version: readonly [major: number, minor: number];
  /** operation-id in a request, status-code in a response. */
  readonly code: number;
  readonly requestId: number;
  readonly groups: readonly IppGroup[];
  /** Document data after the end-of-attributes tag; empty when there is none. */
  readonly data: Buffer;
}
