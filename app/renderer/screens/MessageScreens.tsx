// What the customer asks the booth to email: the digital file (the address typed, then shown
// large to confirm, since a typo sends a face to a stranger) and a "contact us" request. The
// address lives only in this screen's state and the one event that sends it.
import { useEffect, useState } from 'react';
import './message-screens.css';
import { EmailField, EmailKeys, looksLikeAddress } from '../components/EmailKeys.tsx';
import { SendButton } from '../components/SendButton.tsx';
import { EndLayout, ReceiptCode } from './EndLayout.tsx';
import type { ScreenProps } from './types.ts';

/** The address shown large before it is used, with the way back to the keys. */
function ConfirmAddress({
  address,
  tr,
  onChange,
  onSend,
  sendLabel,
}: Pick<ScreenProps, 'tr'> & {
  address: string;
  onChange: () => void;
  onSend: () => void;
  sendLabel: string;
}) {
  return (
    <EndLayout
      title={tr.t('email.confirmTitle')}
      lead={tr.t('email.confirmLead')}
      actions={
        <>
          <button type="button" className="secondary" onClick={onChange}>
            {tr.t('email.change')}
          </button>
          <button type="button" className="primary" onClick={onSend}>
            {sendLabel}
          </button>
        </>
      }
    >
      <p className="email-big" dir="ltr" translate="no" data-testid="email-confirm">
        {address}
      </p>
    </EndLayout>
  );
}

/** Back to the keys whenever the booth refused what was typed (its reason is then on screen). */
function useBackToKeysOn(error: string | null, back: () => void): void {
  useEffect(() => {
    if (error) back();
  }, [error]); // only a new refusal sends it back
}

export function EmailEntryScreen({ snap, tr, send }: ScreenProps) {
  const [address, setAddress] = useState('');
  const [confirming, setConfirming] = useState(false);
  const error = snap.mail.emailError;
  useBackToKeysOn(error, () => setConfirming(false));
  if (confirming)
    return (
      <ConfirmAddress
        address={address}
        tr={tr}
        onChange={() => setConfirming(false)}
        onSend={() => send({ type: 'EMAIL_SEND', address })}
        sendLabel={tr.t('email.send')}
      />
    );
  return (
    <div className="message-entry">
      <EndLayout
        title={tr.t('email.title')}
        lead={tr.t('email.lead')}
        actions={
          <>
            <SendButton send={send} event={{ type: 'EMAIL_SKIP' }} look="secondary">
              {tr.t('email.skip')}
            </SendButton>
            <button
              type="button"
              className="primary"
              disabled={!looksLikeAddress(address)}
              onClick={() => setConfirming(true)}
            >
              {tr.t('common.continue')}
            </button>
          </>
        }
      >
        {error && (
          <p className="error-line" role="alert">
            {tr.t(error === 'address-invalid' ? 'email.invalid' : 'email.failed')}
          </p>
        )}
        <EmailField id="email-address" value={address} onChange={setAddress} label={tr.t('email.label')} />
        <EmailKeys value={address} onChange={setAddress} tr={tr} />
        <p className="muted">{tr.t('email.privacy', { days: snap.retentionDays })}</p>
      </EndLayout>
    </div>
  );
}

export function ContactScreen({ snap, tr, send }: ScreenProps) {
  const [address, setAddress] = useState('');
  const [reason, setReason] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const { mail } = snap;
  useBackToKeysOn(mail.contactError, () => setConfirming(false));
  if (confirming && reason)
    return (
      <ConfirmAddress
        address={address}
        tr={tr}
        onChange={() => setConfirming(false)}
        onSend={() => send({ type: 'CONTACT_SEND', address, reason })}
        sendLabel={tr.t('contact.send')}
      />
    );
  return (
    <div className="message-entry">
      <EndLayout
        title={tr.t('contact.title')}
        lead={tr.t('contact.lead', { days: mail.replyWorkingDays })}
        actions={
          <>
            <SendButton send={send} event={{ type: 'CONTACT_CANCEL' }} look="secondary">
              {tr.t('common.cancel')}
            </SendButton>
            <button
              type="button"
              className="primary"
              disabled={!reason || !looksLikeAddress(address)}
              onClick={() => setConfirming(true)}
            >
              {tr.t('common.continue')}
            </button>
          </>
        }
      >
        {mail.contactError && (
          <p className="error-line" role="alert">
            {tr.t(mail.contactError === 'address-invalid' ? 'email.invalid' : 'contact.failed')}
          </p>
        )}
        <div className="reason-choice" role="group" aria-label={tr.t('contact.reason')}>
          {mail.reasons.map((r) => (
            <button
              key={r}
              type="button"
              className="tool"
              aria-pressed={reason === r}
              onClick={() => setReason(r)}
            >
              {tr.t(`contact.reason.${r}`)}
            </button>
          ))}
        </div>
        <EmailField
          id="contact-address"
          value={address}
          onChange={setAddress}
          label={tr.t('contact.label')}
        />
        <EmailKeys value={address} onChange={setAddress} tr={tr} />
        {snap.receiptCode && <p>{tr.t('contact.withCode', { code: snap.receiptCode })}</p>}
        <p className="muted">{tr.t('contact.privacy')}</p>
      </EndLayout>
    </div>
  );
}

export function ContactSentScreen({ snap, tr, send }: ScreenProps) {
  const { mail } = snap;
  return (
    <EndLayout
      title={tr.t('contact.sentTitle')}
      lead={tr.t('contact.sentLead', { days: mail.replyWorkingDays })}
      actions={
        <SendButton send={send} event={{ type: 'FINISH' }} look="primary">
          {tr.t('common.finish')}
        </SendButton>
      }
    >
      {mail.operatorContact && <p>{tr.t('contact.operator', { contact: mail.operatorContact })}</p>}
      <ReceiptCode code={snap.receiptCode} label={tr.t('receipt.codeLabel')} />
    </EndLayout>
  );
}

/** "Contact us", where the booth can send a request: thank-you, owed prints, errors, money back. */
export function ContactUsButton({ snap, tr, send }: Pick<ScreenProps, 'snap' | 'tr' | 'send'>) {
  if (!snap.mail.canSend) return null;
  return (
    <SendButton send={send} event={{ type: 'CONTACT_US' }} look="secondary">
      {tr.t('contact.button')}
    </SendButton>
  );
}
