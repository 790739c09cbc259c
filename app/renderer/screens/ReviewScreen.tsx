import { CheckItem, checkName } from '../components/CheckItem.tsx';
import { CancelButton, SendButton } from '../components/SendButton.tsx';
import { Title } from '../components/Title.tsx';
import type { ScreenProps } from './types.ts';

export function ReviewScreen({ snap, tr, send }: ScreenProps) {
  const review = snap.review;
  const pass = review?.verdict === 'pass';
  const checks = review?.checks ?? [];
  return (
    <>
      <Title>{tr.t('review.title')}</Title>
      <div className="review">
        {review?.photo ? (
          <img className="review-photo" src={review.photo} alt={tr.t('review.photoAlt')} />
        ) : (
          <div className="review-photo placeholder" aria-hidden="true" />
        )}
        <div className="review-side">
          <p className={pass ? 'verdict pass' : 'verdict fail'} role="status">
            {tr.t(pass ? 'review.pass' : 'review.fail')}
          </p>
          <ul className="checklist" aria-label={tr.t('review.checklist')}>
            {/* Failures first: they are what the person has to change. */}
            {[...checks]
              .sort((a, b) => Number(a.pass) - Number(b.pass))
              .map((check) => {
                const known = tr.has(`check.${check.id}`);
                return (
                  <CheckItem
                    key={check.id}
                    pass={check.pass}
                    label={tr.t(check.pass ? 'review.ok' : 'review.notOk')}
                  >
                    <span>
                      {known ? checkName(tr, check.id, check.message) : tr.t('check.rule')}
                      {!known && check.message && (
                        <small className="detail" lang="en">
                          {check.message}
                        </small>
                      )}
                    </span>
                  </CheckItem>
                );
              })}
          </ul>
          <div className="actions">
            <CancelButton tr={tr} send={send} />
            <SendButton
              send={send}
              event={{ type: 'RETAKE' }}
              look="secondary"
              disabled={snap.retakesLeft <= 0}
            >
              {snap.retakesLeft > 0
                ? tr.t('review.retake', { count: snap.retakesLeft })
                : tr.t('review.noRetakes')}
            </SendButton>
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
