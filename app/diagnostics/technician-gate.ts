import { createHash, timingSafeEqual } from 'node:crypto';
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { verifySecret } from '../../config/pin.ts';

export type GateVerdict =
  | { ok: true }
  | {
      ok: false;
      status: 401 | 429;
      reason: 'no-token-set' | 'missing' | 'wrong' | 'locked';
      retryAfterSeconds?: number;
    };

/** Failed attempts an address may make before it waits; each further lock-out doubles, up to the cap. */
const freeFailures = 5;
const firstLockMs = 60_000;
const maxLockMs = 15 * 60_000;
/** Failures older than this are forgotten. */
const windowMs = 15 * 60_000;
/** Addresses remembered at most (a scan from many addresses must not grow memory without end). */
const maxAddresses = 4_096;

interface Failures {
  count: number;
  last: number;
  lockedUntil: number;
  locks: number;
}

/**
 * The technician token check for every diagnostics route: `Authorization: Bearer <token>`,
 * checked against the scrypt hash in the config (config/pin.ts, as the PINs are). scrypt costs
 * tens of milliseconds of the booth's one thread, so a token once verified is remembered by its
 * SHA-256 for as long as the hash in the config stays the same (a Prometheus scrape every 15 s
 * then costs a hash, not an scrypt); wrong tokens are what the rate limit is for: after five
 * from an address it waits a minute, then two, four… up to 15 minutes.
 */
export class TechnicianGate {
  readonly #hash: () => string | null;
  readonly #now: () => number;
  readonly #failures = new Map<string, Failures>();
  #known: { hash: string; digest: Buffer } | null = null;

  constructor(options: { tokenHash: () => string | null; now: () => number }) {
    this.#hash = options.tokenHash;
    this.#now = options.now;
  }

  check(address: string, authorization: string | undefined): GateVerdict {
    const now = this.#now();
    const failures = this.#failures.get(address);
    if (failures && failures.lockedUntil > now)
      return {
        ok: false,
        status: 429,
        reason: 'locked',
        retryAfterSeconds: Math.ceil((failures.lockedUntil - now) / 1000),
      };
    const hash = this.#hash();
    if (!hash) return { ok: false, status: 401, reason: 'no-token-set' };
    // No token is no guess at one: it is refused, but not counted toward the lock-out.
    if (!authorization) return { ok: false, status: 401, reason: 'missing' };
    const token = /^Bearer ([\x21-\x7e]{16,256})$/.exec(authorization)?.[1];
    if (!token) return this.#failed(address, now, 'wrong');
    const digest = createHash('sha256').update(token).digest();
    if (this.#known?.hash === hash && timingSafeEqual(this.#known.digest, digest))
      return this.#passed(address);
    if (!verifySecret(token, hash)) return this.#failed(address, now, 'wrong');
    this.#known = { hash, digest };
    return this.#passed(address);
  }

  #passed(address: string): GateVerdict {
    this.#failures.delete(address);
    return { ok: true };
  }

  #failed(address: string, now: number, reason: 'wrong'): GateVerdict {
    let f = this.#failures.get(address);
    if (!f || now - f.last > windowMs) f = { count: 0, last: now, lockedUntil: 0, locks: 0 };
    f.count++;
    f.last = now;
    if (f.count >= freeFailures) {
      f.lockedUntil = now + Math.min(maxLockMs, firstLockMs * 2 ** f.locks);
      f.locks++;
      f.count = 0;
    }
    this.#failures.delete(address);
    this.#failures.set(address, f);
    if (this.#failures.size > maxAddresses) this.#failures.delete(this.#failures.keys().next().value!);
    return { ok: false, status: 401, reason };
  }
}

export interface AccessRecord {
  at: string;
  address: string;
  method: string;
  /** The route, without its query. */
  route: string;
  status: number;
  /** `ok`, or why the request was refused (`wrong`, `locked`…). Never the token. */
  result: string;
}

/** The audit file is rolled over past this size: a scrape every 15 s writes about 0.6 MB a day. */
const maxAuditBytes = 8 * 1024 * 1024;

/**
 * The diagnostics access audit: one JSON line per request in `<dataDir>/diagnostics/access.jsonl`
 * (owner only), appended and never rewritten. The token is never in it, nor the query. Past
 * 8 MiB (about two weeks of scrapes) the file becomes `access.jsonl.1`, replacing the one
 * before: a booth's disk is for its customers' photos and journal, not for scrape records.
 */
export class AccessAudit {
  readonly file: string;
  readonly #maxBytes: number;

  constructor(file: string, maxBytes = maxAuditBytes) {
    this.file = file;
    this.#maxBytes = maxBytes;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  }

  record(entry: AccessRecord): void {
    try {
      if (statSync(this.file).size > this.#maxBytes) renameSync(this.file, `${this.file}.1`);
    } catch {
      // Not there yet: the append makes it.
    }
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  }
}
