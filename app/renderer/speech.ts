// Spoken prompts through the Web Speech API, when the browser has it.
export function speechAvailable(): boolean {
  return typeof speechSynthesis !== 'undefined' && typeof SpeechSynthesisUtterance !== 'undefined';
}

/** Speaks `text` in `language`, cutting off whatever was being said. */
export function speak(text: string, language: string): void {
  if (!speechAvailable() || !text) return;
  speechSynthesis.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = language;
  utterance.rate = 0.95;
  speechSynthesis.speak(utterance);
}

export function stopSpeaking(): void {
  if (speechAvailable()) speechSynthesis.cancel();
}
