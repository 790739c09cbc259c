import { readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsentBook, PrivacyPolicy } from '../../app/services/vault/privacy-policy.ts';
import { VaultIndex } from '../../app/services/vault/vault-index.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { repoRoot, tempDir } from './vault-test-kit.ts';

const day = 24 * 60 * 60 * 1000;
const shippedDir = join(repoRoot, 'config', 'privacy');
const shipped = readdirSync(shippedDir)
  .map((f) => /^policy\.(.+)\.md$/.exec(f)?.[1])
  .filter((l): l is string => !!l)
  .sort();

let root: string;
let cleanup: () => void;
let overrideDir: string;
let index: VaultIndex;
let clock: SimClock;

beforeEach(() => {
  ({ dir: root, cleanup } = tempDir('policy'));
  overrideDir = join(root, 'privacy');
  index = new VaultIndex(join(root, 'vault', 'index.sqlite'));
  clock = new SimClock();
});

afterEach(() => {
  index.close();
  cleanup();
});

function policy(retentionDays = 7, changedNoticeDays?: number): PrivacyPolicy {
  return new PrivacyPolicy({ index, retentionDays, overrideDir, now: () => clock.now(), changedNoticeDays });
}

describe('PrivacyPolicy: the notice', () => {
  it('ships the six languages of the default config', () => {
    expect(shipped).toEqual(['ar', 'de', 'en', 'es', 'fr', 'zh']);
  });

  it.each(shipped)('%s: the shipped text with the unit’s retention days filled in', (language) => {
    const notice = policy(9).notice(language);
    const raw = readFileSync(join(shippedDir, `policy.${language}.md`), 'utf8');
    expect(raw).toContain('{retentionDays}');
    expect(notice.language).toBe(language);
    expect(notice.text).toBe(raw.replaceAll('{retentionDays}', '9'));
    expect(notice.text).not.toContain('{retentionDays}');
    expect(notice.text).toContain('9');
    expect(notice.version).toMatch(/^[0-9a-f]{32}$/);
    expect(notice.guardianNotice).toBe(true);
  });

  it('says the days in words a reader of each language sees', () => {
    const p = policy(7);
    expect(p.notice('en').text).toContain('after 7 days');
    expect(p.notice('de').text).toContain('nach 7 Tagen');
    expect(p.notice('fr').text).toContain('après 7 jours');
  });

  it('each language has its own version, and the retention is part of what was agreed to', () => {
    const versions = new Set(shipped.map((l) => policy(7).notice(l).version));
    expect(versions.size).toBe(shipped.length);
    expect(policy(7).notice('en').version).toBe(policy(7).notice('en').version);
    expect(policy(14).notice('en').version).not.toBe(policy(7).notice('en').version);
  });

  it.each(['xx', 'it', '', 'EN', '../privacy/policy.en'])(
    'an unknown language (%j) falls back to English',
    (language) => {
      const notice = policy().notice(language);
      expect(notice.language).toBe('en');
      expect(notice.text).toBe(policy().notice('en').text);
      expect(notice.version).toBe(policy().notice('en').version);
    },
  );

  it('an override file in the data dir replaces the shipped text, and can add a language', () => {
    mkdirSync(overrideDir, { recursive: true });
    writeFileSync(join(overrideDir, 'policy.en.md'), 'Our own words. Kept {retentionDays} days.');
    writeFileSync(join(overrideDir, 'policy.it.md'), 'Conservate per {retentionDays} giorni.');
    const p = policy(5);
    expect(p.notice('en').text).toBe('Our own words. Kept 5 days.');
    expect(p.notice('it')).toMatchObject({ language: 'it', text: 'Conservate per 5 giorni.' });
    expect(p.notice('de').text).toContain('nach 5 Tagen');
  });
});

describe('PrivacyPolicy: odd input and reloads', () => {
  it('a language that is not a plain tag never names a file: the English text is shown', () => {
    mkdirSync(overrideDir, { recursive: true });
    writeFileSync(join(root, 'secret.md'), 'not a policy');
    for (const odd of ['../secret', 'x/../../secret', 'EN', '']) {
      const notice = policy().notice(odd);
      expect(notice.language).toBe('en');
      expect(notice.text).not.toContain('not a policy');
    }
  });

  it('a new retention from a config reload shows in the next notice, with a new version', () => {
    const p = policy(7);
    const before = p.notice('en');
    p.setRetentionDays(3);
    const after = p.notice('en');
    expect(after.text).toContain('after 3 days');
    expect(after.version).not.toBe(before.version);
  });
});

describe('PrivacyPolicy: versions and when they changed', () => {
  it('first ever load: no change to announce; a changed override file: a new version, changedAt set', async () => {
    const p = policy();
    const first = p.notice('en');
    expect(first.changedAt).toBeNull();
    await clock.advance(day);
    expect(p.notice('en')).toMatchObject({ version: first.version, changedAt: null });

    mkdirSync(overrideDir, { recursive: true });
    writeFileSync(join(overrideDir, 'policy.en.md'), 'Revised policy, {retentionDays} days.');
    await clock.advance(day);
    const changedAt = clock.now();
    const revised = p.notice('en');
    expect(revised.version).not.toBe(first.version);
    expect(revised.changedAt).toBe(changedAt);

    // Reading it again later does not move the date of the change.
    await clock.advance(2 * day);
    expect(p.notice('en')).toMatchObject({ version: revised.version, changedAt });
    // Another language is tracked on its own.
    expect(p.notice('de').changedAt).toBeNull();

    // Edited again: a newer version, a newer date.
    writeFileSync(join(overrideDir, 'policy.en.md'), 'Revised again, {retentionDays} days.');
    await clock.advance(day);
    expect(p.notice('en')).toMatchObject({ changedAt: clock.now() });
  });

  it('the change survives a restart (it is kept in the index) and is announced only within the window', async () => {
    const first = policy(7, 10).notice('en');
    mkdirSync(overrideDir, { recursive: true });
    writeFileSync(join(overrideDir, 'policy.en.md'), 'New text {retentionDays}');
    await clock.advance(day);
    const changedAt = clock.now();
    expect(policy(7, 10).notice('en').changedAt).toBe(changedAt);

    index.close();
    index = new VaultIndex(join(root, 'vault', 'index.sqlite'));
    await clock.advance(10 * day);
    expect(policy(7, 10).notice('en')).toMatchObject({ changedAt });
    await clock.advance(1);
    const late = policy(7, 10).notice('en');
    expect(late.changedAt).toBeNull();
    expect(late.version).not.toBe(first.version);

    // Back to the shipped text: that is a change too.
    rmSync(join(overrideDir, 'policy.en.md'));
    expect(policy(7, 10).notice('en')).toMatchObject({ version: first.version, changedAt: clock.now() });
  });
});

describe('ConsentBook', () => {
  it('records the policy version, language, time and guardian flag, and nothing else', async () => {
    const p = policy();
    const book = new ConsentBook(index, p, () => clock.now());
    await clock.advance(90_000);
    book.record('session-1', 'de');
    await clock.advance(1_000);
    book.record('session-1', 'fr');
    expect(index.consents('session-1')).toEqual([
      { policy_version: p.notice('de').version, language: 'de', at: clock.now() - 1_000, guardian_notice: 1 },
      { policy_version: p.notice('fr').version, language: 'fr', at: clock.now(), guardian_notice: 1 },
    ]);
    expect(index.consents('session-2')).toEqual([]);

    const columns = (index.db.prepare('PRAGMA table_info(consents)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(columns.sort()).toEqual([
      'at',
      'guardian_notice',
      'id',
      'language',
      'policy_version',
      'session_id',
    ]);
    const rows = index.db.prepare('SELECT * FROM consents').all();
    expect(rows).toHaveLength(2);
  });

  it('records the language of the text actually shown (English for an unknown one)', () => {
    const p = policy();
    new ConsentBook(index, p, () => clock.now()).record('s', 'tlh');
    expect(index.consents('s')).toEqual([
      { policy_version: p.notice('en').version, language: 'en', at: clock.now(), guardian_notice: 1 },
    ]);
  });

  it('a consent given under a revised text points at the revised version', async () => {
    const p = policy();
    const book = new ConsentBook(index, p, () => clock.now());
    book.record('before', 'en');
    mkdirSync(overrideDir, { recursive: true });
    writeFileSync(join(overrideDir, 'policy.en.md'), 'Revised {retentionDays}');
    await clock.advance(day);
    book.record('after', 'en');
    expect(index.consents('before')[0]!.policy_version).not.toBe(index.consents('after')[0]!.policy_version);
    expect(index.consents('after')[0]!.policy_version).toBe(p.notice('en').version);
  });
});
