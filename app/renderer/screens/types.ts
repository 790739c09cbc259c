import type { KioskBridge, UiEvent, UiSnapshot } from '../../shell/bridge/kiosk-api.ts';
import type { Translator } from '../i18n/index.ts';

/** What every screen gets: the snapshot, the strings in the shown language, and the way out. */
export interface ScreenProps {
  snap: UiSnapshot;
  tr: Translator;
  send: (event: UiEvent) => void;
  bridge: KioskBridge;
}
