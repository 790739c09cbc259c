// A small picture for each photo rule, drawn as the rule wants it (a straight head, a closed
// mouth, open eyes…), so a person who reads slowly or not this language still sees what to do.
// Drawn here rather than shipped as images: a dozen lines of SVG each, styled by the theme.

/** Which picture a check id gets. */
function variantOf(id: string): string {
  if (id.startsWith('mouth') || id.startsWith('expression')) return 'mouth';
  if (id.startsWith('eyes')) return 'eyes';
  if (id === 'gaze' || id === 'head.yaw') return 'camera';
  if (id === 'head.roll' || id === 'head.pitch') return 'straight';
  if (id === 'face.resolution') return 'closer';
  if (id === 'face.inFrame') return 'oval';
  if (id === 'face.single') return 'one';
  if (id.startsWith('lighting') || id === 'exposure') return 'light';
  if (id === 'sharpness' || id === 'steady') return 'still';
  if (id.startsWith('background')) return 'background';
  return 'face';
}

export function RuleIllustration({ id }: { id: string }) {
  const v = variantOf(id);
  const head = v === 'closer' ? 30 : 22;
  return (
    <svg className="rule-picture" viewBox="0 0 100 100" aria-hidden="true" focusable="false">
      {v === 'background' && <rect x="4" y="4" width="92" height="92" rx="6" className="soft" />}
      {v === 'oval' && <ellipse cx="50" cy="50" rx="34" ry="44" className="guide-line" />}
      {v === 'light' && (
        <g className="accent">
          <circle cx="84" cy="16" r="8" />
          <path d="M84 2v4M84 26v4M70 16h4M94 16h4" />
        </g>
      )}
      <ellipse cx="50" cy="50" rx={head * 0.8} ry={head} className="head" />
      <g className={v === 'eyes' || v === 'camera' ? 'accent' : 'feature'}>
        <circle cx={50 - head * 0.32} cy={50 - head * 0.15} r="3.2" />
        <circle cx={50 + head * 0.32} cy={50 - head * 0.15} r="3.2" />
      </g>
      <path
        d={`M${50 - head * 0.3} ${50 + head * 0.45}h${head * 0.6}`}
        className={v === 'mouth' ? 'accent' : 'feature'}
      />
      {v === 'straight' && <path d="M50 14v72M30 50h40" className="guide-line" />}
      {v === 'camera' && <path d="M50 8v10" className="accent" />}
      {v === 'still' && <path d="M16 30v40M84 30v40" className="guide-line" />}
    </svg>
  );
}
