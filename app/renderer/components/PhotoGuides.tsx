// The review's photo at the document's true aspect, with the spec's bands drawn faintly beside
// it: where the crown, the eyes and the chin must fall on the print.
import type { CSSProperties } from 'react';
import type { UiDocumentGeometry } from '../../shell/bridge/kiosk-api.ts';
import type { Translator } from '../i18n/index.ts';

interface Band {
  key: string;
  label: string;
  /** Distance from the photo's top edge, mm. */
  fromMm: number;
  toMm: number;
}

/** The bands a spec publishes: the crown from its top margin, the chin a head height below. */
export function guideBands(g: UiDocumentGeometry, tr: Translator): Band[] {
  const bands: Band[] = [];
  if (!g.topMarginMm) {
    // No published top margin: the crown where the checks aim it, give or take the head range's slack.
    const slack = Math.max(0.5, (g.headHeightMm.max - g.headHeightMm.min) / 2);
    const crown = g.crownFromTopMm;
    const chin = crown + (g.headHeightMm.min + g.headHeightMm.max) / 2;
    bands.push({
      key: 'crown',
      label: tr.t('review.guideCrown'),
      fromMm: crown - slack,
      toMm: crown + slack,
    });
    bands.push({
      key: 'chin',
      label: tr.t('review.guideChin'),
      fromMm: chin - slack,
      toMm: Math.min(g.heightMm, chin + slack),
    });
  } else {
    bands.push({
      key: 'crown',
      label: tr.t('review.guideCrown'),
      fromMm: g.topMarginMm.min,
      toMm: g.topMarginMm.max,
    });
    bands.push({
      key: 'chin',
      label: tr.t('review.guideChin'),
      fromMm: g.topMarginMm.min + g.headHeightMm.min,
      toMm: Math.min(g.heightMm, g.topMarginMm.max + g.headHeightMm.max),
    });
  }
  if (g.eyeLineFromBottomMm)
    bands.push({
      key: 'eyes',
      label: tr.t('review.guideEyes'),
      fromMm: g.heightMm - g.eyeLineFromBottomMm.max,
      toMm: g.heightMm - g.eyeLineFromBottomMm.min,
    });
  return bands;
}

export function PhotoGuides({
  documentId,
  photo,
  alt,
  geometry,
  tr,
}: {
  documentId: string;
  photo: string | null;
  alt: string;
  geometry: UiDocumentGeometry;
  tr: Translator;
}) {
  const { widthMm: w, heightMm: h } = geometry;
  const bands = guideBands(geometry, tr);
  return (
    <figure
      className="id-photo"
      style={{ '--photo-aspect': w / h, '--guide-aspect': 24 / h } as CSSProperties}
    >
      {photo ? (
        <img className="review-photo cropped" src={photo} alt={alt} style={{ aspectRatio: `${w} / ${h}` }} />
      ) : (
        <div className="review-photo placeholder" style={{ aspectRatio: `${w} / ${h}` }} aria-hidden="true" />
      )}
      {bands.length > 0 && (
        <svg className="guides" viewBox={`0 0 24 ${h}`} role="img" aria-label={tr.t('review.guides')}>
          {bands.map((b) => (
            <g key={b.key} className={`band ${b.key}`}>
              <rect x="0" y={b.fromMm} width="2.5" height={Math.max(0.4, b.toMm - b.fromMm)} />
              <text x="3.5" y={(b.fromMm + b.toMm) / 2} dominantBaseline="middle">
                {b.label}
              </text>
            </g>
          ))}
        </svg>
      )}
      <figcaption>
        {tr.t('review.document', {
          name: tr.has(`document.${documentId}`) ? tr.t(`document.${documentId}`) : geometry.name,
          width: new Intl.NumberFormat(tr.language).format(w),
          height: new Intl.NumberFormat(tr.language).format(h),
        })}
      </figcaption>
    </figure>
  );
}
