import { Title } from '../components/Title.tsx';
import { checkName } from './PoseScreen.tsx';
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
                  <li key={check.id} className={check.pass ? 'pass' : 'fail'}>
                    <span
                      className="check-icon"
                      role="img"
                      aria-label={tr.t(check.pass ? 'review.ok' : 'review.notOk')}
                    >
                      {check.pass ? '✓' : '✗'}
                    </span>
                    <span>
                      {known ? checkName(tr, check.id, check.message) : tr.t('check.rule')}
                      {!known && check.message && (
                        <small className="detail" lang="en">
                          {check.message}
                        </small>
                      )}
                    </span>
                  </li>
                );
              })}
          </ul>
          <div className="actions">
            <button type="button" className="secondary" onClick={() => send({ type: 'CANCEL' })}>
              {tr.t('common.cancel')}
            </button>
            <button
              type="button"
              className="secondary"
              disabled={snap.retakesLeft <= 0}
              onClick={() => send({ type: 'RETAKE' })}
            >
              {snap.retakesLeft > 0
                ? tr.t('review.retake', { count: snap.retakesLeft })
                : tr.t('review.noRetakes')}
            </button>
            {pass && (
              <button type="button" className="primary" onClick={() => send({ type: 'ACCEPT_PHOTO' })}>
                {tr.t('review.accept')}
              </button>
            )}
          </div>
        </div>
      </div>
    </>
  );
}
