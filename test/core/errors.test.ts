import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BoothError,
  errorCode,
  errorCodes,
  errorRegistry,
  foreignCode,
  groupsOfCode,
  isCodeOf,
  isDiskFullCode,
  sharedErrorCodes,
  type DeviceKind,
  type ErrorCode,
  type ErrorGroup,
  type ErrorSource,
} from '../../core/errors.ts';
import { DeviceError } from '../../hardware/device-status.ts';
import { IppError } from '../../hardware/printer/ipp/ipp-error.ts';
import { CcTalkError } from '../../hardware/payment/cctalk/driver/cctalk-link.ts';
import {
  billEventMeaning,
  coinEventMeaning,
} from '../../hardware/payment/cctalk/adapter/cctalk-event-map.ts';
import { asWriteError, VaultError } from '../../app/services/vault/vault-error.ts';
import { ConfigError } from '../../config/config-error.ts';
import { ProductionError } from '../../app/services/production/id-photo-producer.ts';
import { ProductionInputError } from '../../app/services/production/production-input-error.ts';
import { planPrintSheet } from '../../app/services/production/print-sheet.ts';
import { encodeWithinBytes } from '../../app/services/production/digital-file.ts';
import { FaceEngineError } from '../../app/services/vision/engine/face-engine.ts';
import { ImageError } from '../../app/services/vision/image-error.ts';
import { frameStats } from '../../app/services/vision/frame-stats.ts';
import { PhotoStoreError } from '../../app/services/photo-store/photo-store.ts';
import { MemoryPhotoStore } from '../../app/services/photo-store/memory-photo-store.ts';
import { InsufficientCreditError, JournalError } from '../../app/money/credit-journal.ts';
import { PrintsOwedError } from '../../app/booth/sheet-printing.ts';
import { BoothServiceError } from '../../app/booth/booth-service-error.ts';
import { DataDirInUseError } from '../../app/host/data-dir-lock.ts';
import { faultCode } from '../../flows/session/services.ts';
import { OperatorError } from '../../app/operator/operator-error.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const groups = Object.keys(errorRegistry) as ErrorGroup[];
const entryOf = (group: ErrorGroup, code: string) =>
  (errorRegistry[group] as Record<string, { from: readonly ErrorSource[]; means: string }>)[code];

/** The booth's own source (not tests, not the screen's .tsx), as [path, text]. */
function sources(): [string, string][] {
  const files: [string, string][] = [];
  for (const dir of ['app', 'hardware', 'config', 'flows', 'core']) {
    for (const name of readdirSync(join(root, dir), { recursive: true }) as string[]) {
      if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
      const path = join(dir, name);
      if (path.startsWith(join('app', 'renderer'))) continue;
      files.push([path, readFileSync(join(root, path), 'utf8')]);
    }
  }
  return files;
}

/** Which group a DeviceError's code must be in, per kind of device. */
const deviceGroups: Record<DeviceKind, ErrorGroup[]> = {
  camera: ['camera'],
  payment: ['paymentDevice'],
  'photo-printer': ['photoPrinter', 'ipp'],
  'receipt-printer': ['receiptPrinter'],
  hopper: ['hopper'],
};

/** Constructors (and factories) whose first argument is a code, and the groups it must be in. */
const codeFirst: Record<string, ErrorGroup[]> = {
  IppError: ['ipp'],
  CcTalkError: ['ccTalk'],
  VaultError: ['storage'],
  PhotoStoreError: ['storage'],
  ProductionError: ['production'],
  ProductionInputError: ['productionInput'],
  productionError: ['productionInput'],
  FaceEngineError: ['vision'],
  ImageError: ['vision'],
  JournalError: ['journal'],
  BoothServiceError: ['production', 'config', 'journal'],
  OperatorError: ['operator'],
  BoothError: groups,
};

/** Error classes that carry no code (a CLI usage mistake is printed, never matched). */
const codeless = new Set(['UsageError']);

/** Registered but not thrown today; kept because their classes declared them. */
const declaredOnly = new Set<string>(['production-failed', 'clock-untrusted']);

const kebab = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

describe('the error registry', () => {
  it('names each code in kebab case, with where it comes from and one line of what it means', () => {
    for (const group of groups) {
      const codes = Object.keys(errorRegistry[group]);
      expect(codes.length, group).toBeGreaterThan(0);
      for (const code of codes) {
        const entry = entryOf(group, code)!;
        expect(code, `${group}.${code}`).toMatch(kebab);
        expect(entry.from.length, `${group}.${code}`).toBeGreaterThan(0);
        expect(new Set(entry.from).size, `${group}.${code}`).toBe(entry.from.length);
        expect(entry.means, `${group}.${code}`).toMatch(/^\S[^\n]*\S$/);
        expect(entry.means.length, `${group}.${code}`).toBeLessThanOrEqual(100);
      }
    }
  });

  it('names a code in more than one group only where it is shared on purpose', () => {
    const multiple = errorCodes.filter((code) => groupsOfCode(code).length > 1);
    expect(multiple.sort()).toEqual(Object.keys(sharedErrorCodes).sort());
    expect(new Set(errorCodes).size).toBe(errorCodes.length);
    const all = groups.flatMap((g) => Object.keys(errorRegistry[g]));
    expect(new Set(all)).toEqual(new Set(errorCodes));
  });

  it('reads membership', () => {
    expect(isCodeOf('camera', 'timeout')).toBe(true);
    expect(isCodeOf('camera', 'media-jam')).toBe(false);
    expect(isCodeOf('storage', 'toString')).toBe(false);
    expect(groupsOfCode('timeout')).toEqual(
      expect.arrayContaining(['camera', 'paymentDevice', 'photoPrinter', 'receiptPrinter', 'ipp', 'ccTalk']),
    );
  });
});

describe('every code in the source is registered', () => {
  const files = sources();
  const found: { file: string; code: string; groups: readonly ErrorGroup[]; what: string }[] = [];
  const scan = (
    pattern: RegExp,
    each: (m: RegExpExecArray) => Omit<(typeof found)[number], 'file'> | null,
  ) => {
    for (const [file, text] of files) {
      for (const m of text.matchAll(pattern)) {
        const hit = each(m);
        if (hit) found.push({ file, ...hit });
      }
    }
  };
  scan(/new DeviceError\(\s*'([^']+)',\s*'([^']+)'/g, (m) => {
    const kind = m[1] as DeviceKind;
    expect(Object.keys(deviceGroups), `DeviceError device "${kind}"`).toContain(kind);
    return { code: m[2]!, groups: deviceGroups[kind], what: `new DeviceError('${kind}', …)` };
  });
  scan(/\b([A-Za-z]\w*Error)\(\s*'([^']+)'/g, (m) => {
    const groupsFor = codeFirst[m[1]!];
    return groupsFor ? { code: m[2]!, groups: groupsFor, what: m[1]! } : null;
  });
  // Fixed codes: `super('code', `message…`)` and `readonly code = 'code'`.
  scan(/super\(\s*'([^']+)',\s*[`']/g, (m) => ({ code: m[1]!, groups, what: 'super(code, message)' }));
  scan(/readonly code = '([^']+)'/g, (m) => ({ code: m[1]!, groups, what: 'readonly code' }));
  // Payment faults told as events.
  scan(/type: '(?:fault|PAYMENT_FAULT)',\s*code: '([^']+)'/g, (m) => ({
    code: m[1]!,
    groups: ['paymentFault'],
    what: 'fault event',
  }));

  it('finds the codes (the scan itself works)', () => {
    expect(found.length).toBeGreaterThan(100);
    for (const what of ['camera', 'payment', 'photo-printer', 'receipt-printer'])
      expect(found.some((f) => f.what === `new DeviceError('${what}', …)`)).toBe(true);
    for (const name of Object.keys(codeFirst).filter((n) => n !== 'BoothError'))
      expect(
        found.some((f) => f.what === name),
        name,
      ).toBe(true);
  });

  it('each thrown or told code is in its group', () => {
    const unregistered = found
      .filter((f) => !f.groups.some((g) => isCodeOf(g, f.code)))
      .map((f) => `${f.file}: ${f.what} '${f.code}' (not in ${f.groups.join(' | ')})`);
    expect(unregistered).toEqual([]);
  });

  it('has no error with a code stuck on by Object.assign', () => {
    const loose = files
      .filter(([file]) => !file.startsWith('core'))
      .filter(([, text]) => /Object\.assign\(\s*new Error/.test(text))
      .map(([file]) => file);
    expect(loose).toEqual([]);
  });

  it('has every error class registered as a source (or known to carry no code)', () => {
    const sourcesNamed = new Set(
      groups.flatMap((g) => Object.values(errorRegistry[g]).flatMap((e) => e.from)),
    );
    const classes = files.flatMap(([file, text]) =>
      [...text.matchAll(/class (\w+) extends (\w*Error)\b/g)].map((m) => ({
        file,
        name: m[1]!,
        base: m[2]!,
      })),
    );
    expect(classes.length).toBeGreaterThan(10);
    const strays = classes
      .filter((c) => c.name !== 'BoothError' && !codeless.has(c.name))
      .filter((c) => !sourcesNamed.has(c.name as ErrorSource))
      .map((c) => `${c.file}: ${c.name}`);
    expect(strays).toEqual([]);
  });

  it('names no code that nothing uses', () => {
    const text = files
      .filter(([file]) => file !== join('core', 'errors.ts'))
      .map(([, t]) => t)
      .join('\n');
    const unused = errorCodes.filter((code) => !declaredOnly.has(code) && !text.includes(`'${code}'`));
    expect(unused).toEqual([]);
  });

  it('names every coin and bill fault the ccTalk adapter tells', () => {
    const open = /^(coin-error-\d+|bill-event-\d+(-\d+)?)$/;
    const codes = new Set<string>();
    for (let a = 0; a < 256; a += a === 0 ? 1 : 255) {
      for (let b = 0; b < 256; b++) {
        for (const meaning of [coinEventMeaning(a, b), billEventMeaning(a, b)])
          if (meaning.kind === 'fault') codes.add(meaning.code);
      }
    }
    const unnamed = [...codes].filter((code) => !isCodeOf('paymentFault', code) && !open.test(code));
    expect(unnamed).toEqual([]);
    expect([...codes].filter((c) => isCodeOf('paymentFault', c)).length).toBeGreaterThan(10);
  });
});

describe('errorCode', () => {
  const instances: [string, Error & { code: string }][] = [
    ['camera', new DeviceError('camera', 'disconnected', 'cable out')],
    ['payment', new DeviceError('payment', 'no-escrow', 'no note')],
    ['photo printer', new DeviceError('photo-printer', 'media-jam', 'jam')],
    ['photo printer (IPP code passed on)', new DeviceError('photo-printer', 'bad-response', 'garbled')],
    ['receipt printer', new DeviceError('receipt-printer', 'media-empty', 'no paper')],
    ['IPP', new IppError('refused', 'refused', 0x040a)],
    ['ccTalk', new CcTalkError('nak', 'NAK')],
    ['vault', new VaultError('tampered', 'bad tag', { cause: new Error('inner') })],
    ['config', new ConfigError('config.json', [{ path: 'currency', message: 'required' }])],
    ['production', new ProductionError('image-corrupt', 'cannot read')],
    ['production input', new ProductionInputError('sheet-too-small', 'does not fit')],
    ['face engine', new FaceEngineError('engine-timeout', 'slow')],
    ['image', new ImageError('image-corrupt', 'not a readable image')],
    ['photo store', new PhotoStoreError('not-found', 'gone')],
    ['journal', new JournalError('unknown-order', 'no such order')],
    ['credit', new InsufficientCreditError(100, 500)],
    ['prints owed', new PrintsOwedError('media-jam', 2)],
    ['booth services', new BoothServiceError('not-compliant', 'a rule failed')],
    ['data directory', new DataDirInUseError('/tmp/x', { pid: 1, what: 'kiosk start' })],
    ['operator', new OperatorError('pin-invalid', 'not digits')],
  ];

  it.each(instances)('reads a %s error, whose class the registry names for its code', (_, error) => {
    expect(errorCode(error)).toBe(error.code);
    expect(faultCode(error)).toBe(error.code);
    const from = groupsOfCode(error.code as ErrorCode).flatMap((g) => entryOf(g, error.code)!.from);
    expect(from).toContain(error.name);
  });

  it('gives every booth error the base class, a typed code and the cause', () => {
    for (const [, error] of instances.filter(([what]) => what !== 'data directory'))
      expect(error).toBeInstanceOf(BoothError);
    expect(new VaultError('tampered', 'x', { cause: 'why' }).cause).toBe('why');
    expect(new IppError('refused', 'x', 0x0400)).toBeInstanceOf(DeviceError);
    expect(DeviceError.of(new IppError('timeout', 'x'), 'photo-printer')).toBe(true);
    expect(DeviceError.of(new DeviceError('camera', 'timeout', 'x'), 'payment')).toBe(false);
  });

  it('reads a code that crossed a worker (a plain object), and nothing else', () => {
    expect(errorCode({ code: 'engine-crashed', message: 'x' })).toBe('engine-crashed');
    expect(errorCode(new Error('plain'))).toBe('error');
    expect(errorCode({ code: 'crop-impossible' })).toBe('error');
    expect(errorCode({ code: 42 })).toBe('error');
    expect(errorCode(null)).toBe('error');
    expect(errorCode('disk-full')).toBe('error');
  });

  it('errorCode maps no disk-full code itself; a fault record (faultCode) and the vault say disk-full', () => {
    for (const code of ['ENOSPC', 'EDQUOT', 'SQLITE_FULL']) {
      const raw = Object.assign(new Error(code), { code });
      expect(isDiskFullCode(code)).toBe(true);
      expect(errorCode(raw)).toBe('error');
      expect(foreignCode(raw)).toBe(code);
      // The journal's SQLITE_FULL and a write's ENOSPC alike: what staff read is the booth's word.
      expect(faultCode(raw)).toBe('disk-full');
      const written = asWriteError(raw, 'a still');
      expect(written).toBeInstanceOf(VaultError);
      expect(errorCode(written)).toBe('disk-full');
      expect(written.cause).toBe(raw);
    }
    expect(isDiskFullCode('EIO')).toBe(false);
    const eio = Object.assign(new Error('io'), { code: 'EIO' });
    expect(asWriteError(eio, 'a still')).toBe(eio);
  });

  it('fault records keep foreign codes as they came and name anything else `error`', () => {
    expect(faultCode(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))).toBe('SQLITE_BUSY');
    expect(faultCode(Object.assign(new Error('abort'), { code: 'ABORT_ERR' }))).toBe('ABORT_ERR');
    expect(faultCode(Object.assign(new Error('x'), { code: 'crop-impossible' }))).toBe('error');
    expect(faultCode(new Error('no code'))).toBe('error');
    expect(faultCode(undefined)).toBe('error');
  });
});

describe('the errors the booth throws keep their codes and messages', () => {
  it('frame statistics of a corrupt image', async () => {
    const error = await frameStats(Buffer.from('not an image')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageError);
    expect(error).toMatchObject({
      code: 'image-corrupt',
      message: expect.stringMatching(/^not a readable image: /),
    });
  });

  it('an item the memory store does not hold', async () => {
    const error = await new MemoryPhotoStore().get('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhotoStoreError);
    expect(error).toMatchObject({ code: 'not-found', message: 'item nope is not in the store' });
  });

  it('a sheet plan that cannot be made', () => {
    let error: unknown;
    try {
      planPrintSheet({ widthMm: 35, heightMm: 45 }, 0);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProductionInputError);
    expect(error).toMatchObject({ code: 'invalid-copies' });
  });

  it('a digital file with a bad size range', async () => {
    const image = { data: Buffer.alloc(3), width: 1, height: 1, channels: 3 as const };
    const error = await encodeWithinBytes(image, { min: 10, max: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProductionInputError);
    expect(error).toMatchObject({ code: 'invalid-byte-range' });
  });
});
