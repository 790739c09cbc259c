// The screen's one h1; focused when the screen changes so a screen reader announces it.
export function Title({ children }: { children: string }) {
  return (
    <h1 id="screen-title" tabIndex={-1}>
      {children}
    </h1>
  );
}
