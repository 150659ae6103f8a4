export interface ProgressLine {
  /** Shows the latest state: rewritten in place on a terminal, throttled lines otherwise. */
  update(text: string): void;
  /** Ends the line so the next output starts on a fresh one. */
  done(text: string): void;
}

/**
 * One live progress line. On a TTY it is redrawn with `\r` (at most every 100 ms); when output
 * goes to a file or CI log, a plain line is written every `everyMs` instead of thousands of
 * carriage returns.
 */
export function createProgressLine(
  stream: NodeJS.WriteStream = process.stdout,
  everyMs = 2_000,
): ProgressLine {
  const interactive = stream.isTTY === true;
  const minIntervalMs = interactive ? 100 : everyMs;
  let lastWrite = 0;
  let width = 0;
  const draw = (text: string) => {
    if (interactive) {
      stream.write(`\r${text.padEnd(width)}`);
      width = text.length;
    } else {
      stream.write(`${text}\n`);
    }
  };
  return {
    update(text) {
      const now = Date.now();
      if (now - lastWrite < minIntervalMs) return;
      lastWrite = now;
      draw(text);
    },
    done(text) {
      draw(text);
      if (interactive) stream.write("\n");
    },
  };
}
