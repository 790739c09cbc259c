// The camera's live view, mirrored like a mirror, with the face-guide oval and the face box.
import { useEffect, useState, type ReactNode } from 'react';
import type { KioskBridge, UiDocumentGeometry, UiFrame } from '../../shell/bridge/kiosk-api.ts';
import { poseGuide } from './pose-guide.ts';

export function LiveView({
  bridge,
  label,
  waiting,
  ready,
  document,
  children,
}: {
  bridge: KioskBridge;
  label: string;
  waiting: string;
  ready: boolean;
  /** The chosen document: the head outline is sized from its head-height range. */
  document?: UiDocumentGeometry | undefined;
  children?: ReactNode;
}) {
  const [frame, setFrame] = useState<UiFrame | null>(null);
  useEffect(() => bridge.onFrame(setFrame), [bridge]);
  const width = frame?.width ?? 640;
  const height = frame?.height ?? 480;
  const guide = poseGuide(document, width, height);
  return (
    <figure className="live" style={{ aspectRatio: `${width} / ${height}` }}>
      {frame ? (
        <div className="mirror">
          <img src={frame.jpeg} alt={label} width={width} height={height} />
          <svg viewBox={`0 0 ${width} ${height}`} aria-hidden="true" className="overlay">
            <ellipse
              cx={guide.cx}
              cy={guide.cy}
              rx={guide.rx}
              ry={guide.ry}
              className={ready ? 'guide ready' : 'guide'}
            />
            {[guide.crown, guide.chin].map((band, i) => (
              <g key={i} className="guide-band">
                <rect
                  x={guide.cx - guide.rx * 1.25}
                  y={band.top}
                  width={guide.rx * 0.15}
                  height={Math.max(2, band.bottom - band.top)}
                />
                <rect
                  x={guide.cx + guide.rx * 1.1}
                  y={band.top}
                  width={guide.rx * 0.15}
                  height={Math.max(2, band.bottom - band.top)}
                />
              </g>
            ))}
            {frame.face && (
              <rect
                x={frame.face.x}
                y={frame.face.y}
                width={frame.face.width}
                height={frame.face.height}
                className="face-box"
              />
            )}
          </svg>
        </div>
      ) : (
        <p className="waiting">{waiting}</p>
      )}
      {children}
    </figure>
  );
}
