// The settings one customer picks for themself (spoken prompts, larger text): they last for
// that customer's session and go back to the defaults when the booth returns to attract, so the
// next person never inherits a stranger's choices.
import { useEffect, useRef, useState } from 'react';

export interface CustomerSettings {
  speaker: boolean;
  setSpeaker(on: boolean): void;
  largeText: boolean;
  setLargeText(on: boolean): void;
}

/** `screen`: the snapshot's screen; a change to `attract` from any other ends the customer's settings. */
export function useCustomerSettings(screen: string | undefined): CustomerSettings {
  const [speaker, setSpeaker] = useState(false);
  const [largeText, setLargeText] = useState(false);
  const before = useRef(screen);
  useEffect(() => {
    if (screen === 'attract' && before.current !== undefined && before.current !== 'attract') {
      setSpeaker(false);
      setLargeText(false);
    }
    before.current = screen;
  }, [screen]);
  // On the root element, so every rem on every screen grows with it.
  useEffect(() => {
    if (largeText) document.documentElement.dataset.text = 'large';
    else delete document.documentElement.dataset.text;
  }, [largeText]);
  return { speaker, setSpeaker, largeText, setLargeText };
}
