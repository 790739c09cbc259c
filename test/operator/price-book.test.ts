import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BoothConfig } from '../../config/schema.ts';
import { ConfigStore } from '../../config/store.ts';
import { dataPaths } from '../../config/data-dir.ts';
import { OperatorAccess } from '../../app/operator/operator-access.ts';
import { OperatorError } from '../../app/operator/operator-error.ts';
import { PriceBook } from '../../app/operator/price-book.ts';

let dir: string;
let store: ConfigStore;
let access: OperatorAccess;
let applied: BoothConfig[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'price-book-'));
  store = new ConfigStore({ file: dataPaths(dir).config });
  access = OperatorAccess.open({ file: dataPaths(dir).operatorAccess, config: store, clock: Date });
  applied = [];
});
afterEach(() => {
  access.close();
  rmSync(dir, { recursive: true, force: true });
});

const book = () =>
  new PriceBook({ config: store, audit: (entry) => access.audit(entry), apply: (c) => applied.push(c) });
const fileText = () => readFileSync(store.file, 'utf8');

describe('PriceBook', () => {
  it('writes the new price into the file, audits old → new, and hands the config to apply', () => {
    writeFileSync(store.file, JSON.stringify({ unit: { id: 'u-7' } }));
    const change = book().setPrice({ product: 'photos-8', amount: 1350, role: 'operator' });
    expect(change).toMatchObject({ product: 'photos-8', before: 1200, after: 1350, currency: 'EUR' });
    const file = JSON.parse(fileText()) as { unit: unknown; products: { id: string; price: number }[] };
    // The rest of the file is kept; the other products keep their prices.
    expect(file.unit).toEqual({ id: 'u-7' });
    expect(file.products.map((p) => [p.id, p.price])).toEqual([
      ['photos-4', 800],
      ['photos-8', 1350],
      ['photos-4-digital', 1000],
    ]);
    expect(store.current().products[1]!.price).toBe(1350);
    expect(applied.map((c) => c.products[1]!.price)).toEqual([1350]);
    expect(access.recentAudit(1)[0]).toMatchObject({
      role: 'operator',
      action: 'price-changed',
      subject: 'photos-8',
      before: 1200,
      after: 1350,
    });
  });

  it('refuses an unknown product, a negative or a fractional amount, and changes nothing', () => {
    writeFileSync(store.file, JSON.stringify({ currency: 'CHF' }));
    const before = fileText();
    const refusal = (product: string, amount: number) => {
      try {
        book().setPrice({ product, amount, role: 'technician' });
      } catch (error) {
        expect(error).toBeInstanceOf(OperatorError);
        return { code: (error as OperatorError).code, message: (error as Error).message };
      }
      throw new Error('not refused');
    };
    expect(refusal('passport-9', 100)).toEqual({
      code: 'product-unknown',
      message: 'no product "passport-9" (the products are photos-4, photos-8, photos-4-digital)',
    });
    expect(refusal('photos-4', -1)).toMatchObject({
      code: 'price-invalid',
      message: expect.stringContaining('not -1'),
    });
    expect(refusal('photos-4', 9.5)).toMatchObject({ code: 'price-invalid' });
    expect(fileText()).toBe(before);
    expect(applied).toEqual([]);
    expect(access.recentAudit(5)).toEqual([]);
  });
});
