import { describe, expect, it } from 'vitest';
import { boothConfigSchema } from '../../../config/schema.ts';

const mail = {
  host: 'smtp.example.org',
  user: 'booth-01',
  password: 'secret',
  from: 'booth@example.org',
  operatorAddress: 'operator@example.org',
};

const problems = (input: unknown) => {
  const result = boothConfigSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('config: the mail and endOfService blocks', () => {
  it('sends no mail unless configured; defaults to STARTTLS on 587 with a 14-day closing notice', () => {
    const none = boothConfigSchema.parse({});
    expect(none.mail).toBeNull();
    expect(none.endOfService).toEqual({ noticeDays: 14 });
    const some = boothConfigSchema.parse({ mail });
    expect(some.mail).toMatchObject({
      port: 587,
      security: 'starttls',
      caFile: null,
      replyWorkingDays: 10,
      lifetimeHours: 72,
      pickupUrlTemplate: null,
    });
  });

  it('has no way to send in clear, and no message outlives the retention', () => {
    expect(problems({ mail: { ...mail, security: 'none' } })).toEqual([
      expect.stringMatching(/^mail\.security/),
    ]);
    expect(problems({ mail: { ...mail, lifetimeHours: 8 * 24 }, retention: { days: 7 } })).toEqual([
      'mail.lifetimeHours: must be at most the retention (168 hours)',
    ]);
    expect(problems({ mail: { ...mail, lifetimeHours: 7 * 24 }, retention: { days: 7 } })).toEqual([]);
  });

  it('needs real addresses, and a pickup template that is https with {token}', () => {
    expect(problems({ mail: { ...mail, from: 'booth' } })).toEqual([expect.stringMatching(/^mail\.from/)]);
    expect(problems({ mail: { ...mail, pickupUrlTemplate: 'http://x.example/{token}' } })).toHaveLength(1);
    expect(problems({ mail: { ...mail, pickupUrlTemplate: 'https://x.example/p' } })).toEqual([
      'mail.pickupUrlTemplate: must contain {token}',
    ]);
    expect(problems({ mail: { ...mail, pickupUrlTemplate: 'https://x.example/p/{token}' } })).toEqual([]);
    expect(problems({ mail: { ...mail, firstRetryDelayMs: 600_000, maxRetryDelayMs: 60_000 } })).toEqual([
      'mail: firstRetryDelayMs must be at most maxRetryDelayMs',
    ]);
    expect(problems({ endOfService: { noticeDays: 91 } })).toHaveLength(1);
  });
});
