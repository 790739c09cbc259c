import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PhotoVault } from '../../app/services/vault/photo-vault.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { expectVaultError, filesContaining, repoRoot, tempDir } from './vault-test-kit.ts';

const moduleUrl = (path: string) => JSON.stringify(pathToFileURL(join(repoRoot, path)).href);

const sessions = 30;
const itemsPerSession = 3;

/**
 * The child stores 30 sessions of 3 items, ends them (kept), prints each session's wrapped key,
 * then wipes them all. node:fs's unlinkSync is wrapped so that the KILL_AT-th file removal
 * SIGKILLs the process itself, just BEFORE or just AFTER that file is removed: a deterministic
 * kill -9 in the middle of a wipe.
 */
const childScript = `
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { PhotoVault } from ${moduleUrl('app/services/vault/photo-vault.ts')};
import { SimClock } from ${moduleUrl('core/sim-clock.ts')};
import { newReceiptCode } from ${moduleUrl('core/receipt-code.ts')};

const dir = process.argv[2]!;
const killAt = Number(process.env.KILL_AT);
const when = process.env.KILL_WHEN;
const vault = PhotoVault.open({ dir, clock: new SimClock(), retentionDays: 7 });
const ids: string[] = [];
const keys: Record<string, string> = {};
for (let s = 0; s < ${sessions}; s++) {
  const id = 'session-' + String(s).padStart(2, '0');
  await vault.beginSession(id, { receiptCode: newReceiptCode() });
  for (let j = 0; j < ${itemsPerSession}; j++) {
    await vault.put(id, j === 2 ? 'email' : 'still', Buffer.from('PLAINTEXT ' + id + ' item ' + j));
  }
  await vault.endSession(id, 'retain');
  keys[id] = vault.index.session(id)!.wrapped_key!.toString('hex');
  ids.push(id);
}
process.stdout.write(JSON.stringify({ stored: ids.length, keys }) + '\\n');

const unlink = fs.unlinkSync;
let unlinks = 0;
const die = () => {
  process.stdout.write(JSON.stringify({ killedAtUnlink: unlinks }) + '\\n');
  process.kill(process.pid, 'SIGKILL');
  for (;;);
};
fs.unlinkSync = (path: fs.PathLike) => {
  unlinks++;
  if (when === 'before' && unlinks === killAt) die();
  unlink(path);
  if (when === 'after' && unlinks === killAt) die();
};
syncBuiltinESMExports();
vault.wipe(ids, 'operator-wipe', 'wipe everything');
process.stdout.write(JSON.stringify({ finished: true }) + '\\n');
vault.close();
`;

let root: string;
let cleanup: () => void;

beforeEach(() => {
  ({ dir: root, cleanup } = tempDir('kill'));
});

afterEach(() => cleanup());

async function runChild(vaultDir: string, killAt: number, when: 'before' | 'after') {
  const script = join(root, 'wipe-then-die.mts');
  writeFileSync(script, childScript);
  const child = spawn(process.execPath, ['--import', 'tsx', script, vaultDir], {
    cwd: repoRoot,
    env: { ...process.env, KILL_AT: String(killAt), KILL_WHEN: when },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve) => child.on('exit', (c, s) => resolve({ code: c, signal: s })),
  );
  const lines = stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, signal, lines, stderr };
}

interface RawSession {
  id: string;
  state: string;
  wrapped_key: Buffer | null;
}

/** What a SIGKILLed process left in the index, read without the vault's start-up repairs. */
function rawIndex(vaultDir: string) {
  const db = new Database(join(vaultDir, 'index.sqlite'), { readonly: true });
  try {
    const sessions = db
      .prepare('SELECT id, state, wrapped_key FROM sessions ORDER BY id')
      .all() as RawSession[];
    const items = db.prepare('SELECT session_id, file FROM items').all() as {
      session_id: string;
      file: string;
    }[];
    return { sessions, items };
  } finally {
    db.close();
  }
}

describe('kill -9 in the middle of a wipe', () => {
  it.each([
    // Killed right after session-10's key was destroyed, before any of its files went.
    { killAt: 31, when: 'before' as const, midSession: 10, filesLeftOfIt: 3 },
    // Killed after the first of session-10's three files went.
    { killAt: 31, when: 'after' as const, midSession: 10, filesLeftOfIt: 2 },
    // Killed after session-10's last file went, before its rows were forgotten.
    { killAt: 33, when: 'after' as const, midSession: 10, filesLeftOfIt: 0 },
  ])(
    'killed at unlink $killAt ($when): on restart the wipe resumes, nothing of a destroyed-key session is left',
    async ({ killAt, when, midSession, filesLeftOfIt }) => {
      const vaultDir = join(root, 'vault');
      const run = await runChild(vaultDir, killAt, when);
      expect(run.signal, `child did not die by SIGKILL (code ${run.code}): ${run.stderr}`).toBe('SIGKILL');
      const stored = run.lines[0] as { stored: number; keys: Record<string, string> };
      expect(stored.stored).toBe(sessions);
      expect(run.lines[1]).toEqual({ killedAtUnlink: killAt });
      expect(run.lines.some((l) => l.finished)).toBe(false);

      // The state the crash left: sessions before the one being shredded are gone, that one is
      // in 'shredding' without its key, the rest are untouched.
      const midId = `session-${String(midSession).padStart(2, '0')}`;
      const crashed = rawIndex(vaultDir);
      const destroyed = Object.keys(stored.keys).filter((id) => id <= midId);
      const survivors = Object.keys(stored.keys).filter((id) => id > midId);
      expect(crashed.sessions.filter((s) => s.state === 'shredding').map((s) => s.id)).toEqual([midId]);
      expect(crashed.sessions.find((s) => s.id === midId)!.wrapped_key).toBeNull();
      expect(crashed.sessions.map((s) => s.id)).toEqual([midId, ...survivors]);
      const midFiles = crashed.items.filter((i) => i.session_id === midId).map((i) => i.file);
      expect(midFiles).toHaveLength(itemsPerSession);
      const onDisk = new Set(readdirSync(join(vaultDir, 'blobs')));
      expect(midFiles.filter((f) => onDisk.has(f))).toHaveLength(filesLeftOfIt);
      // Even before the restart, no destroyed key is anywhere in the vault's files.
      for (const id of destroyed) {
        expect(filesContaining(vaultDir, Buffer.from(stored.keys[id]!, 'hex')), id).toEqual([]);
      }

      // The restart.
      const vault = PhotoVault.open({ dir: vaultDir, clock: new SimClock(), retentionDays: 7 });
      try {
        expect(vault.index.sessionIdsWhere(`state = 'shredding'`)).toEqual([]);
        expect(vault.index.sessionIdsWhere('1 = 1')).toEqual(survivors);
        for (const id of destroyed) {
          expect(vault.index.session(id), id).toBeUndefined();
          expect(vault.index.items(id), id).toEqual([]);
          expect(filesContaining(vaultDir, Buffer.from(stored.keys[id]!, 'hex')), id).toEqual([]);
        }
        // No file of the destroyed-key session is left, and no orphans: disk == index.
        const blobs = readdirSync(join(vaultDir, 'blobs')).sort();
        for (const file of midFiles) expect(blobs).not.toContain(file);
        expect(blobs).toEqual([...vault.index.allFiles()].sort());
        expect(blobs).toHaveLength(survivors.length * itemsPerSession);
        // The survivors are whole and readable.
        for (const id of survivors) {
          const items = await vault.list(id);
          expect(items).toHaveLength(itemsPerSession);
          for (const [j, item] of items.entries()) {
            expect((await vault.get(item)).toString()).toBe(`PLAINTEXT ${id} item ${j}`);
          }
        }
        expect(vault.index.audit(100).filter((a) => a.action === 'resume-shred')).toHaveLength(1);
        expect(vault.index.audit(100).filter((a) => a.action === 'operator-wipe')).toHaveLength(midSession);
        // The survivors can still be wiped as usual afterwards.
        const first = (await vault.list(survivors[0]!))[0]!;
        vault.wipe(survivors, 'operator-wipe', 'finish');
        await expectVaultError(() => vault.get(first), 'not-found');
        expect(readdirSync(join(vaultDir, 'blobs'))).toEqual([]);
      } finally {
        vault.close();
      }
    },
    60_000,
  );
});
