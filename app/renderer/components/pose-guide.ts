// Where the pose screen's head outline goes: the document's photo frame laid over the live view
// (as large as the view allows with a margin, which is what keeps the crop inside the still),
// and the head inside it at mid-range height, its crown where the spec puts it. Pure geometry,
// so the outline is the same on the pose screen and through the countdown.
import type { UiDocumentGeometry } from '../../shell/bridge/kiosk-api.ts';

/**
 * Share of the live view's height the document's frame is drawn at. The crop scales to any head
 * size the still's resolution allows, so this is the framing to aim for: a head of about 40 % of
 * the view's height (a booth camera's half-body view), with room for the crop all round.
 */
const FRAME_SHARE = 0.5;

export interface PoseGuide {
  /** The oval: centre and radii in live-view pixels. */
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  /** Where the crown and the chin may fall (live-view y, top and bottom of each band). */
  crown: { top: number; bottom: number };
  chin: { top: number; bottom: number };
}

/** An ID photo's head is about 0.78 times as wide as it is tall (chin to crown). */
const HEAD_ASPECT = 0.78;

export function poseGuide(g: UiDocumentGeometry | undefined, width: number, height: number): PoseGuide {
  if (!g) {
    // No document known yet: a head of a typical passport's proportions.
    return poseGuide(
      {
        name: '',
        widthMm: 35,
        heightMm: 45,
        headHeightMm: { min: 32, max: 36 },
        eyeLineFromBottomMm: null,
        topMarginMm: null,
        crownFromTopMm: 4,
      },
      width,
      height,
    );
  }
  const pxPerMm = Math.min((FRAME_SHARE * height) / g.heightMm, (0.95 * width) / g.widthMm);
  // Above the middle, as a booth camera frames a seated person: the head in the upper half.
  const frameTop = (height - g.heightMm * pxPerMm) * 0.2;
  const headMid = (g.headHeightMm.min + g.headHeightMm.max) / 2;
  const crownY = frameTop + g.crownFromTopMm * pxPerMm;
  const ry = (headMid * pxPerMm) / 2;
  // The crown band: the top margin's range where published, else a head-height range's slack.
  const slack = ((g.headHeightMm.max - g.headHeightMm.min) * pxPerMm) / 2;
  const crown = g.topMarginMm
    ? { top: frameTop + g.topMarginMm.min * pxPerMm, bottom: frameTop + g.topMarginMm.max * pxPerMm }
    : { top: crownY - slack, bottom: crownY + slack };
  const chinY = crownY + headMid * pxPerMm;
  return {
    cx: width / 2,
    cy: crownY + ry,
    rx: ry * HEAD_ASPECT,
    ry,
    crown,
    chin: { top: chinY - slack, bottom: chinY + slack },
  };
}
