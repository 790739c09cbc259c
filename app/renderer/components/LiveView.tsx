// The camera's live view, mirrored like a mirror, with the face-guide oval and the face box.
import { useEffect, useState, type ReactNode } from 'react';
import type { KioskBridge, UiFrame } from '../../shell/bridge/kiosk-api.ts';

export function LiveView({
  bridge,
  label,
  waiting,
  ready,
  children,
}: {
  bridge: KioskBridge;
  label: string;
  waiting: string;
  ready: boolean;
  children?: ReactNode;
}) {
  const [frame, setFrame] = useState<UiFrame | null>(null);
  useEffect(() => bridge.onFrame(setFrame), [bridge]);
  const width = frame?.width ?? 640;
  const height = frame?.height ?? 480;
  return (
    <figure className="live" style={{ aspectRatio: `${width} / ${height}` }}>
      {frame ? (
        <div className="mirror">
          <img src={frame.jpeg} alt={label} width={width} height={height} />
          <svg viewBox={`0 0 ${width} ${height}`} aria-hidden="true" className="overlay">
            <ellipse
              cx={width / 2}
              cy={height * 0.45}
              rx={height * 0.24}
              ry={height * 0.32}
              className={ready ? 'guide ready' : 'guide'}
            />
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
