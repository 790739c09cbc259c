import { checkName } from '../components/CheckItem.tsx';
import { MoneyNote } from '../components/MoneyNote.tsx';
import { PhotoGuides } from '../components/PhotoGuides.tsx';
import { RuleIllustration } from '../components/RuleIllustration.tsx';
import { CancelButton, SendButton } from '../components/SendButton.tsx';
import { Title } from '../components/Title.tsx';
import type { ScreenProps } from './types.ts';

/** What to do about a failed check, in plain words; the check's name where no instruction is known. */
function instruction(tr: ScreenProps['tr'], id: string, message: string): string {
  if (tr.has(`fix.${id}`)) return tr.t(`fix.${id}`);
  return tr.has(`check.${id}`) ? checkName(tr, id, message) : tr.t('fix.rule');
}

export function ReviewScreen({ snap, tr, send }: ScreenProps) {
  const review = snap.review;
  const pass = review?.verdict === 'pass';
  const checks = review?.checks ?? [];
  const failed = checks.filter((c) => !c.pass);
  const passed = checks.length - failed.length;
  const documentId = snap.choice.documentId;
  const geometry = documentId ? snap.documentGeometry[documentId] : undefined;
  const stuck = !pass && snap.retakesLeft <= 0;
  return (
    <>
      <Title>{tr.t('review.title')}</Title>
      <div className="review">
        {geometry && documentId && review?.cropped !== false ? (
          <PhotoGuides
            documentId={documentId}
            photo={review?.photo ?? null}
            alt={tr.t('review.photoAlt')}
            geometry={geometry}
            tr={tr}
          />
        ) : review?.photo ? (
          <img className="review-photo" src={review.photo} alt={tr.t('review.photoAlt')} />
        ) : (
          <div className="review-photo placeholder" aria-hidden="true" />
        )}
        <div className="review-side">
          <p className={pass ? 'verdict pass' : 'verdict fail'} role="status">
            {tr.t(pass ? 'review.pass' : stuck ? 'review.lastFail' : 'review.failTitle')}
          </p>
          {failed.length > 0 && (
            // Scrollable when long, so it takes the keyboard's focus to be scrolled (axe: scrollable-region-focusable).
            <ul className="checklist" aria-label={tr.t('review.checklist')} tabIndex={0}>
              {failed.map((check) => {
                const text = instruction(tr, check.id, check.message);
                return (
                  <li key={check.id} className="fail">
                    <RuleIllustration id={check.id} />
                    <span>
                      {text}
                      {!tr.has(`fix.${check.id}`) && !tr.has(`check.${check.id}`) && check.message && (
                        <small className="detail" lang="en">
                          {check.message}
                        </small>
                      )}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
          {passed > 0 && !pass && (
            <p className="passed-count">{tr.t('review.passedCount', { count: passed })}</p>
          )}
          {stuck && <MoneyNote snap={snap} tr={tr} />}
          <div className="actions">
            <CancelButton tr={tr} send={send} />
            {!pass && snap.retakesLeft > 0 && (
              <SendButton send={send} event={{ type: 'RETAKE' }} look="primary">
                {tr.t('review.retake', { count: snap.retakesLeft })}
              </SendButton>
            )}
            {pass && snap.retakesLeft > 0 && (
              <SendButton send={send} event={{ type: 'RETAKE' }} look="secondary">
                {tr.t('review.retake', { count: snap.retakesLeft })}
              </SendButton>
            )}
            {pass && (
              <SendButton send={send} event={{ type: 'ACCEPT_PHOTO' }} look="primary">
                {tr.t('review.accept')}
              </SendButton>
            )}
          </div>
        </div>
      </div>
    </>
  );
}
