/** Where a CLI command writes: its result lines and its messages for the person at the terminal. */
export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
}
