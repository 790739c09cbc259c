import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VaultIndex } from './vault-index.ts';

const shippedDir = new URL('../../../config/privacy/', import.meta.url).pathname;

export interface PolicyNotice {
  language: string;
  /** Markdown, with the unit's retention filled in. */
  text: string;
  /** Hash of the text: what a consent record points to. */
  version: string;
  /** When this version replaced an earlier one, if it did within `changedNoticeDays`. */
  changedAt: number | null;
  /** Every consent screen asks minors to come with a guardian. */
  guardianNotice: true;
}

/**
 * The privacy policy as versioned config: one markdown file per language, shipped in
 * `config/privacy/`, overridden by `<data dir>/privacy/policy.<lang>.md`. The version is the
 * hash of the text the person actually saw; when it changes, the consent screen says so.
 */
export class PrivacyPolicy {
  constructor(
    private readonly o: {
      index: VaultIndex;
      retentionDays: number;
      overrideDir?: string;
      now: () => number;
      changedNoticeDays?: number;
    },
  ) {}

  /** Applies from the next notice on (a config reload changes it). */
  setRetentionDays(days: number): void {
    this.o.retentionDays = days;
  }

  notice(language: string): PolicyNotice {
    // Only a plain language tag names a file; anything else gets the English text.
    const lang =
      /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(language) && this.#textFile(language) ? language : 'en';
    const text = readFileSync(this.#textFile(lang)!, 'utf8').replaceAll(
      '{retentionDays}',
      String(this.o.retentionDays),
    );
    const version = createHash('sha256').update(text).digest('hex').slice(0, 32);
    return { language: lang, text, version, changedAt: this.#changedAt(lang, version), guardianNotice: true };
  }

  /** Remembers which version each language is on, and since when it replaced an earlier one. */
  #changedAt(language: string, version: string): number | null {
    const key = `policy.${language}`;
    const seen = this.o.index.meta(key);
    const previous = seen ? (JSON.parse(seen) as { version: string; changedAt: number | null }) : null;
    let changedAt = previous?.changedAt ?? null;
    if (previous?.version !== version) {
      changedAt = previous ? this.o.now() : null;
      this.o.index.setMeta(key, JSON.stringify({ version, changedAt }));
    }
    const window = (this.o.changedNoticeDays ?? 30) * 24 * 60 * 60_000;
    return changedAt !== null && this.o.now() - changedAt <= window ? changedAt : null;
  }

  #textFile(language: string): string | undefined {
    const own = this.o.overrideDir && join(this.o.overrideDir, `policy.${language}.md`);
    if (own && existsSync(own)) return own;
    const shipped = join(shippedDir, `policy.${language}.md`);
    return existsSync(shipped) ? shipped : undefined;
  }
}

/** Consent records: policy version, time and language. No identity, no image. */
export class ConsentBook {
  constructor(
    private readonly index: VaultIndex,
    private readonly policy: PrivacyPolicy,
    private readonly now: () => number,
  ) {}

  record(sessionId: string, language: string): void {
    const notice = this.policy.notice(language);
    this.index.recordConsent({
      sessionId,
      policyVersion: notice.version,
      language: notice.language,
      at: this.now(),
      guardianNotice: notice.guardianNotice,
    });
  }
}
