/**
 * Reading the operator's PIN for `--pin-stdin`. Piped in (`echo 1234 | kiosk …`, a password
 * manager, a script), it is the first line of stdin. Typed at a terminal, it is asked for on
 * stderr and read with the echo off: a PIN shown on the screen is a PIN read over a shoulder.
 */

interface PinInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (raw: boolean) => unknown;
}

/** At most this much is read: a PIN is a few digits, and nothing bigger goes to the booth. */
const maxChars = 1024;

export function readPin(input: PinInput, prompt: { write(text: string): unknown }): Promise<string> {
  return input.isTTY && input.setRawMode ? readHidden(input, prompt) : readFirstLine(input);
}

/** The first line of a stream, read to at most 1 KiB. */
export function readFirstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = () => {
      stream.off('data', onData);
      stream.off('end', finish);
      stream.off('error', reject);
      stream.pause();
      resolve((text.split(/\r?\n/)[0] ?? '').slice(0, maxChars));
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.includes('\n') || text.length > maxChars) finish();
    };
    stream.on('data', onData);
    stream.once('end', finish);
    stream.once('error', reject);
  });
}

/** Raw mode, nothing echoed: Enter ends it, Backspace takes back a digit, Ctrl-C or Ctrl-D gives up. */
function readHidden(input: PinInput, prompt: { write(text: string): unknown }): Promise<string> {
  return new Promise((resolve, reject) => {
    let pin = '';
    prompt.write('PIN: ');
    input.setRawMode!(true);
    const stop = () => {
      input.off('data', onData);
      input.setRawMode!(false);
      input.pause();
      prompt.write('\n');
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n') {
          stop();
          return resolve(pin);
        }
        if (char === '\u0003' || char === '\u0004') {
          stop();
          return reject(new Error('no PIN given'));
        }
        if (char === '\u007f' || char === '\b') pin = pin.slice(0, -1);
        else if (pin.length < maxChars) pin += char;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}
