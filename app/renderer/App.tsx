// The renderer: one screen per snapshot, a language switcher and a speaker toggle on every
// customer screen, and the staff panel in demo mode.
import { useCallback, useEffect, useMemo, useRef, useState, type ComponentType } from 'react';
import type { KioskBridge, UiEvent, UiScreen, UiSnapshot } from '../shell/bridge/kiosk-api.ts';
import { SpeakerIcon, TextSizeIcon } from './components/Icons.tsx';
import { LanguageSwitcher } from './components/LanguageSwitcher.tsx';
import { StaffPanel, useStaffGesture } from './components/StaffPanel.tsx';
import { baseLanguage, direction, knownLanguages, translate, translator } from './i18n/index.ts';
import { speak, stopSpeaking } from './speech.ts';
import { AttractScreen } from './screens/AttractScreen.tsx';
import { ChooseScreen } from './screens/ChooseScreen.tsx';
import { ConsentScreen } from './screens/ConsentScreen.tsx';
import { CountdownScreen } from './screens/CountdownScreen.tsx';
import {
  ErrorScreen,
  OutOfServiceScreen,
  PrintOwedScreen,
  StillThereScreen,
  ConfirmCancelScreen,
  MoneyBackScreen,
  ThankYouScreen,
  UnavailableScreen,
} from './screens/EndScreens.tsx';
import { LanguageScreen } from './screens/LanguageScreen.tsx';
import { PaymentScreen } from './screens/PaymentScreen.tsx';
import { hintText, PoseScreen } from './screens/PoseScreen.tsx';
import { ReviewScreen } from './screens/ReviewScreen.tsx';
import { ContactScreen, ContactSentScreen, EmailEntryScreen } from './screens/MessageScreens.tsx';
import type { ScreenProps } from './screens/types.ts';
import { BusyScreen, busyKey, PrintingScreen, ProducingScreen } from './screens/WaitScreens.tsx';
import { OperatorMenuScreen } from './screens/operator/OperatorMenuScreen.tsx';
import { OperatorNewPinScreen, OperatorPinScreen } from './screens/operator/OperatorPinScreens.tsx';
import { OperatorPaperScreen } from './screens/operator/OperatorPaperScreen.tsx';
import { OperatorServiceScreen } from './screens/operator/OperatorServiceScreen.tsx';
import { OperatorReceiptsScreen } from './screens/operator/OperatorReceiptsScreen.tsx';
import { OperatorCountersScreen } from './screens/operator/OperatorCountersScreen.tsx';
import { OperatorTestsScreen } from './screens/operator/OperatorTestsScreen.tsx';
import { OperatorPricesScreen } from './screens/operator/OperatorPricesScreen.tsx';
import { OperatorOwedScreen } from './screens/operator/OperatorOwedScreen.tsx';
import { OperatorDocumentsScreen } from './screens/operator/OperatorDocumentsScreen.tsx';
import { OperatorTakingsScreen, OperatorZReportScreen } from './screens/operator/OperatorTakingsScreens.tsx';
import { useCornerSequence } from './components/CornerSequence.ts';
import { ClosingNotice } from './components/ClosingNotice.tsx';
import { useCustomerSettings } from './components/customer-settings.ts';

const screens: Record<UiScreen, ComponentType<ScreenProps>> = {
  attract: AttractScreen,
  language: LanguageScreen,
  consent: ConsentScreen,
  choose: ChooseScreen,
  payment: PaymentScreen,
  pose: PoseScreen,
  countdown: CountdownScreen,
  review: ReviewScreen,
  busy: BusyScreen,
  producing: ProducingScreen,
  printing: PrintingScreen,
  printOwed: PrintOwedScreen,
  thankYou: ThankYouScreen,
  stillThere: StillThereScreen,
  emailEntry: EmailEntryScreen,
  contact: ContactScreen,
  contactSent: ContactSentScreen,
  confirmCancel: ConfirmCancelScreen,
  error: ErrorScreen,
  unavailable: UnavailableScreen,
  moneyBack: MoneyBackScreen,
  outOfService: OutOfServiceScreen,
  operatorPin: OperatorPinScreen,
  operatorNewPin: OperatorNewPinScreen,
  operatorMenu: OperatorMenuScreen,
  operatorTakings: OperatorTakingsScreen,
  operatorZReport: OperatorZReportScreen,
  operatorPaper: OperatorPaperScreen,
  operatorService: OperatorServiceScreen,
  operatorReceipts: OperatorReceiptsScreen,
  operatorCounters: OperatorCountersScreen,
  operatorTests: OperatorTestsScreen,
  operatorPrices: OperatorPricesScreen,
  operatorOwed: OperatorOwedScreen,
  operatorDocuments: OperatorDocumentsScreen,
};

/** The operator's hidden entry: the corners anticlockwise from top-left (the staff panel's go clockwise). */
const anticlockwise = [0, 3, 2, 1] as const;

/** The translation key of each screen's title (what the h1 says and the speaker reads). */
export function titleKey(snap: UiSnapshot): string {
  if (snap.screen === 'busy') return busyKey(snap.busy);
  return `${snap.screen}.title`;
}

/** Arrow keys move focus between the controls of the open dialog, else of the page. */
function moveFocus(e: KeyboardEvent): void {
  const target = e.target as HTMLElement | null;
  if (!target || !['ArrowDown', 'ArrowUp', 'ArrowLeft', 'ArrowRight'].includes(e.key)) return;
  if (target.tagName !== 'BUTTON' && target !== document.body) return;
  const scope = document.querySelector<HTMLElement>('[role="dialog"]') ?? document.body;
  const items = [...scope.querySelectorAll<HTMLElement>('button:not([disabled]), [tabindex="0"]')];
  if (!items.length) return;
  const rtl = document.documentElement.dir === 'rtl';
  const forward = e.key === 'ArrowDown' || e.key === (rtl ? 'ArrowLeft' : 'ArrowRight');
  const at = items.indexOf(target);
  const next = at < 0 ? 0 : (at + (forward ? 1 : -1) + items.length) % items.length;
  items[next]?.focus();
  e.preventDefault();
}

export function App({ bridge }: { bridge: KioskBridge }) {
  const [snap, setSnap] = useState<UiSnapshot | null>(null);
  const [localLanguage, setLocalLanguage] = useState<string | null>(null);
  const [staffOpen, setStaffOpen] = useState(false);

  // A language picked locally lasts until the flow's language changes or the session is back at attract.
  useEffect(() => {
    let before: UiSnapshot | null = null;
    return bridge.onSnapshot((next) => {
      if (
        before &&
        (before.language !== next.language || (next.screen === 'attract' && before.screen !== 'attract'))
      ) {
        setLocalLanguage(null);
      }
      before = next;
      setSnap(next);
    });
  }, [bridge]);
  useEffect(() => {
    window.addEventListener('keydown', moveFocus);
    return () => window.removeEventListener('keydown', moveFocus);
  }, []);

  const { speaker, setSpeaker, largeText, setLargeText } = useCustomerSettings(snap?.screen);
  const language = localLanguage ?? snap?.language ?? 'en';
  const tr = useMemo(() => translator(language, snap?.currency ?? 'EUR'), [language, snap?.currency]);

  useEffect(() => {
    document.documentElement.lang = language;
    document.documentElement.dir = direction(language);
  }, [language]);

  const send = useCallback((event: UiEvent) => bridge.send(event), [bridge]);
  const openStaff = useCallback(() => setStaffOpen(true), []);
  const closeStaff = useCallback(() => setStaffOpen(false), []);
  useStaffGesture(Boolean(snap?.demo), openStaff);
  const enterOperator = useCallback(() => bridge.send({ type: 'OPERATOR_ENTER' }), [bridge]);
  const serviceKey = snap?.serviceKey ?? null;
  const isServiceKey = useCallback(
    (e: KeyboardEvent) => serviceKey !== null && e.code === serviceKey,
    [serviceKey],
  );
  // Offered everywhere but in operator mode: the flow itself lets it in between customers only.
  useCornerSequence(anticlockwise, Boolean(snap && !snap.operator), enterOperator, isServiceKey);

  // Move focus to the new screen's title so screen readers announce it.
  const screen = snap?.screen;
  useEffect(() => {
    if (screen) document.getElementById('screen-title')?.focus({ preventScroll: true });
  }, [screen]);

  // Spoken prompts: the title when the screen (or language) changes, then the current hint.
  const title = snap ? tr.t(titleKey(snap)) : '';
  const hint = snap?.screen === 'pose' ? hintText(snap, tr) : '';
  useEffect(() => {
    if (speaker && title) speak(hint ? `${title}. ${hint}` : title, language);
    // The hint alone is spoken by the effect below.
  }, [speaker, title, language]);
  const spokenHint = useRef('');
  useEffect(() => {
    if (speaker && hint && hint !== spokenHint.current) speak(hint, language);
    spokenHint.current = hint;
  }, [speaker, hint, language]);

  if (!snap) {
    return (
      <main className="screen center" aria-busy="true">
        <div className="spinner" aria-hidden="true" />
        <h1 id="screen-title" tabIndex={-1}>
          {translate(navigator.language ?? 'en', 'app.connecting')}
        </h1>
      </main>
    );
  }

  const Screen = screens[snap.screen] ?? AttractScreen;
  const languages = snap.languages.length ? snap.languages : knownLanguages;
  const selectLanguage = (next: string): void => {
    setLocalLanguage(baseLanguage(next) === baseLanguage(snap.language) ? null : next);
    send({ type: 'SELECT_LANGUAGE', language: next });
  };
  const customer = snap.screen !== 'outOfService' && !snap.operator;

  return (
    <div className={`app screen-${snap.screen}`}>
      <header className="toolbar">
        <span className="unit-name">{snap.unitName}</span>
        {
          <button
            type="button"
            className="tool"
            aria-pressed={speaker}
            onClick={() => {
              if (speaker) stopSpeaking();
              setSpeaker(!speaker);
            }}
          >
            <SpeakerIcon on={speaker} /> {tr.t('common.speech')}
          </button>
        }
        {customer && (
          <button
            type="button"
            className="tool"
            aria-pressed={largeText}
            onClick={() => setLargeText(!largeText)}
          >
            <TextSizeIcon /> {tr.t('common.largeText')}
          </button>
        )}
        {customer && languages.length > 1 && (
          <LanguageSwitcher tr={tr} languages={languages} onSelect={selectLanguage} />
        )}
      </header>
      {!snap.operator && <ClosingNotice snap={snap} tr={tr} />}
      <main className={`screen screen-${snap.screen}`} key={`${snap.screen}`}>
        <Screen snap={snap} tr={tr} send={send} bridge={bridge} />
      </main>
      {snap.demo && staffOpen && <StaffPanel snap={snap} send={send} onClose={closeStaff} />}
    </div>
  );
}
