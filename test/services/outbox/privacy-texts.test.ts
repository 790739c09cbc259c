import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrivacyPolicy } from '../../../app/services/vault/privacy-policy.ts';
import { VaultIndex } from '../../../app/services/vault/vault-index.ts';
import { SimClock } from '../../../core/sim-clock.ts';

/** What each language's policy must say about an email address and about the end of service. */
const promises: Record<string, { email: string[]; endOfService: string[] }> = {
  en: {
    email: [
      'only** to send the digital photo',
      'deleted as soon as the message is sent',
      'deleted after 7 days at the latest',
    ],
    endOfService: [
      'closes for good',
      'with the date',
      'printed or paid back',
      "destroying the booth's encryption key",
    ],
  },
  fr: {
    email: [
      'uniquement** à envoyer la photo numérique',
      "effacée dès l'envoi du message",
      'au plus tard après 7 jours',
    ],
    endOfService: ['ferme définitivement', 'avec la date', 'imprimés ou remboursés', 'destruction de la clé'],
  },
  de: {
    email: [
      'nur** dazu, das gekaufte digitale Foto',
      'gelöscht, sobald die Nachricht versendet ist',
      'spätestens nach 7 Tagen',
    ],
    endOfService: [
      'endgültig schließt',
      'mit Datum',
      'gedruckt oder erstattet',
      'Schlüssel des Automaten vernichtet',
    ],
  },
  es: {
    email: [
      'solo** para enviar la foto digital',
      'se borra en cuanto se envía el mensaje',
      'como muy tarde después de 7 días',
    ],
    endOfService: [
      'cierra definitivamente',
      'con la fecha',
      'se imprimen o se reembolsan',
      'destruyendo la clave',
    ],
  },
  zh: {
    email: ['**仅**用于发送您购买的电子照片', '在邮件发出后立即删除', '最迟在 7 天后删除'],
    endOfService: ['永久停止服务', '注明日期', '打印或退款', '销毁照相亭的加密密钥'],
  },
  ar: {
    email: ['يُستخدم **فقط** لإرسال الصورة الرقمية', '**يُحذف فور إرسال الرسالة**', 'بعد 7 أيام على الأكثر'],
    endOfService: [
      'أُغلق هذا الكشك نهائياً',
      'مع التاريخ',
      'تُطبع الصور المستحقة أو تُردّ قيمتها',
      'بإتلاف مفتاح التشفير',
    ],
  },
};

let dir: string;
let index: VaultIndex;
const clock = new SimClock();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-privacy-texts-'));
  index = new VaultIndex(join(dir, 'index.sqlite'));
});

afterEach(() => {
  index.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the privacy policy on email addresses and the end of service (issue 18)', () => {
  const policy = () => new PrivacyPolicy({ index, retentionDays: 7, now: () => clock.now() });

  it.each(Object.keys(promises))(
    '%s says what the booth does with an email address and when it closes',
    (language) => {
      const notice = policy().notice(language);
      expect(notice.language).toBe(language);
      for (const phrase of [...promises[language]!.email, ...promises[language]!.endOfService])
        expect(notice.text).toContain(phrase);
    },
  );

  it.each(Object.keys(promises))(
    '%s: a booth that showed the earlier text tells returning customers it changed',
    (language) => {
      // What a unit that ran the earlier text has in its index: that version, no change pending.
      index.setMeta(`policy.${language}`, JSON.stringify({ version: 'an-earlier-text', changedAt: null }));
      const notice = policy().notice(language);
      expect(notice.version).not.toBe('an-earlier-text');
      expect(notice.changedAt).toBe(clock.now());
    },
  );
});
