import type { ContactReason } from './outbox-api.ts';

/**
 * The mails' words in the booth's six languages. `{document}`, `{days}` and `{unit}` are filled
 * in. Kept beside the sender (not config/translations, the screens' strings): they are read by
 * the outbox only, and a mail must not change when a screen's wording does.
 */
export interface MailTexts {
  subject: string;
  greeting: string;
  /** What the file is, and what it is for. */
  what: string;
  /** How long the booth keeps the photos, and that the address is gone. */
  kept: string;
  /** A mail sent by a machine: nobody reads replies. */
  noReply: string;
  contactSubject: string;
  reasons: Record<ContactReason, string>;
  contactLines: { reason: string; receipt: string; language: string; replyTo: string };
}

export const mailTexts: Record<string, MailTexts> = {
  en: {
    subject: 'Your digital photo: {document}',
    greeting: 'Hello,',
    what: 'Attached is the digital copy of the photo you bought at {unit}: a JPEG file made to the rules for {document}, for an online application or an upload the authority asks for.',
    kept: 'The booth keeps your photos for {days} days for reprints with your receipt code, then deletes them. Your email address was deleted as soon as this message was sent.',
    noReply: 'This message was sent by the photo booth; replies are not read.',
    contactSubject: 'Contact request from {unit}: {reason}',
    reasons: {
      money: 'Money',
      'print-quality': 'Print quality',
      'photo-refused': 'Photo refused',
      other: 'Other',
    },
    contactLines: {
      reason: 'Reason',
      receipt: 'Receipt code',
      language: 'Language',
      replyTo: 'Reply to the customer with your mail program’s Reply: the address is in Reply-To.',
    },
  },
  fr: {
    subject: 'Votre photo numérique : {document}',
    greeting: 'Bonjour,',
    what: 'Vous trouverez ci-joint la copie numérique de la photo achetée à {unit} : un fichier JPEG conforme aux règles pour {document}, pour une demande en ligne ou un envoi demandé par l’administration.',
    kept: 'La cabine conserve vos photos {days} jours pour une réimpression avec votre code de reçu, puis les supprime. Votre adresse e-mail a été supprimée dès l’envoi de ce message.',
    noReply: 'Ce message a été envoyé par la cabine photo ; les réponses ne sont pas lues.',
    contactSubject: 'Demande de contact depuis {unit} : {reason}',
    reasons: {
      money: 'Argent',
      'print-quality': 'Qualité d’impression',
      'photo-refused': 'Photo refusée',
      other: 'Autre',
    },
    contactLines: {
      reason: 'Motif',
      receipt: 'Code du reçu',
      language: 'Langue',
      replyTo: 'Répondez au client avec « Répondre » : son adresse est dans Reply-To.',
    },
  },
  de: {
    subject: 'Ihr digitales Foto: {document}',
    greeting: 'Guten Tag,',
    what: 'Im Anhang finden Sie die digitale Kopie des Fotos, das Sie bei {unit} gekauft haben: eine JPEG-Datei nach den Vorgaben für {document}, für einen Online-Antrag oder einen Upload, den die Behörde verlangt.',
    kept: 'Der Automat bewahrt Ihre Fotos {days} Tage für Nachdrucke mit Ihrem Belegcode auf und löscht sie dann. Ihre E-Mail-Adresse wurde gelöscht, sobald diese Nachricht versendet war.',
    noReply: 'Diese Nachricht wurde vom Fotoautomaten gesendet; Antworten werden nicht gelesen.',
    contactSubject: 'Kontaktanfrage von {unit}: {reason}',
    reasons: {
      money: 'Geld',
      'print-quality': 'Druckqualität',
      'photo-refused': 'Foto abgelehnt',
      other: 'Sonstiges',
    },
    contactLines: {
      reason: 'Grund',
      receipt: 'Belegcode',
      language: 'Sprache',
      replyTo: 'Antworten Sie dem Kunden mit „Antworten“: die Adresse steht in Reply-To.',
    },
  },
  es: {
    subject: 'Su foto digital: {document}',
    greeting: 'Hola:',
    what: 'Adjuntamos la copia digital de la foto que compró en {unit}: un archivo JPEG hecho según las normas de {document}, para una solicitud en línea o una subida que pida la administración.',
    kept: 'La cabina guarda sus fotos {days} días para reimprimirlas con su código de recibo y después las borra. Su dirección de correo se borró en cuanto se envió este mensaje.',
    noReply: 'Este mensaje lo envió la cabina de fotos; las respuestas no se leen.',
    contactSubject: 'Solicitud de contacto desde {unit}: {reason}',
    reasons: {
      money: 'Dinero',
      'print-quality': 'Calidad de impresión',
      'photo-refused': 'Foto rechazada',
      other: 'Otro',
    },
    contactLines: {
      reason: 'Motivo',
      receipt: 'Código de recibo',
      language: 'Idioma',
      replyTo: 'Responda al cliente con «Responder»: su dirección está en Reply-To.',
    },
  },
  zh: {
    subject: '您的电子照片：{document}',
    greeting: '您好：',
    what: '附件是您在 {unit} 购买的照片的电子版：按 {document} 的规定制作的 JPEG 文件，用于在线申请或主管部门要求的上传。',
    kept: '照相亭会保存您的照片 {days} 天，凭收据码可重新打印，之后删除。本邮件发出后，您的电子邮件地址已被删除。',
    noReply: '本邮件由照相亭自动发送，回复不会被阅读。',
    contactSubject: '来自 {unit} 的联系请求：{reason}',
    reasons: {
      money: '付款',
      'print-quality': '打印质量',
      'photo-refused': '照片未通过',
      other: '其他',
    },
    contactLines: {
      reason: '原因',
      receipt: '收据码',
      language: '语言',
      replyTo: '请用邮件程序的“回复”答复顾客：地址在 Reply-To 中。',
    },
  },
  ar: {
    subject: 'صورتك الرقمية: {document}',
    greeting: 'مرحبًا،',
    what: 'مرفق النسخة الرقمية من الصورة التي اشتريتها في {unit}: ملف JPEG مُعدّ وفق قواعد {document}، لطلب عبر الإنترنت أو لرفعها كما تطلب الجهة المختصة.',
    kept: 'يحتفظ الكشك بصورك {days} يومًا لإعادة الطباعة برمز الإيصال، ثم يحذفها. حُذف عنوان بريدك الإلكتروني فور إرسال هذه الرسالة.',
    noReply: 'أُرسلت هذه الرسالة من كشك التصوير؛ لا تُقرأ الردود.',
    contactSubject: 'طلب تواصل من {unit}: {reason}',
    reasons: {
      money: 'المال',
      'print-quality': 'جودة الطباعة',
      'photo-refused': 'رُفضت الصورة',
      other: 'أخرى',
    },
    contactLines: {
      reason: 'السبب',
      receipt: 'رمز الإيصال',
      language: 'اللغة',
      replyTo: 'ردّ على العميل بزر «رد» في برنامج البريد: العنوان في Reply-To.',
    },
  },
};

/** The texts of `language` (its base tag: `zh-Hans` → `zh`), English where the booth has none. */
export function textsFor(language: string): { language: string; texts: MailTexts } {
  const base = language.split('-')[0]!.toLowerCase();
  const texts = mailTexts[base];
  return texts ? { language: base, texts } : { language: 'en', texts: mailTexts.en! };
}

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
