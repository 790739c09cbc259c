import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readPin } from '../../app/cli/read-pin.ts';

/** A stand-in terminal: a stream that says it is a TTY and records its raw-mode switches. */
function terminal() {
  const input = Object.assign(new PassThrough(), {
    isTTY: true,
    modes: [] as boolean[],
    setRawMode(raw: boolean) {
      input.modes.push(raw);
      return input;
    },
  });
  const shown: string[] = [];
  return { input, shown, prompt: { write: (text: string) => shown.push(text) } };
}

describe('readPin', () => {
  it('reads the first line of a pipe, without a prompt', async () => {
    const pipe = new PassThrough();
    const shown: string[] = [];
    const reading = readPin(pipe, { write: (t: string) => shown.push(t) });
    pipe.end('4821\nsomething else\n');
    expect(await reading).toBe('4821');
    expect(shown).toEqual([]);
  });

  it('at a terminal asks on the prompt stream, echoes nothing, and takes Backspace', async () => {
    const { input, shown, prompt } = terminal();
    const reading = readPin(input, prompt);
    input.write('48');
    input.write('9\u007f21\r');
    expect(await reading).toBe('4821');
    expect(shown.join('')).toBe('PIN: \n');
    expect(input.modes).toEqual([true, false]);
  });

  it('Ctrl-C at the prompt gives up, and puts the terminal back', async () => {
    const { input, prompt } = terminal();
    const reading = readPin(input, prompt);
    input.write('12\u0003');
    await expect(reading).rejects.toThrow('no PIN given');
    expect(input.modes).toEqual([true, false]);
  });
});
