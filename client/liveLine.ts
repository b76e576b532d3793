/**
 * The terminal's last line, redrawn in place, with log lines written above it: on a TTY a log line clears the
 * live line (`\r\x1b[K`), is written, and the live line is drawn again below it, so the two never share a line.
 * Without a TTY nothing is drawn in place; progress goes out as plain log lines instead.
 */
export class LiveLine {
  private current = '';

  constructor(private readonly out: NodeJS.WriteStream = process.stderr, readonly tty = Boolean(out.isTTY)) {}

  /** A complete log line (without its newline). */
  writeLog(line: string): void {
    if (this.tty && this.current) this.out.write(`\r\x1b[K${line}\n${this.fit(this.current)}`);
    else this.out.write(`${line}\n`);
  }

  /** Replaces the live line (TTY only). */
  show(line: string): void {
    if (!this.tty) return;
    this.current = line;
    this.out.write(`\r${this.fit(line)}\x1b[K`);
  }

  /** Removes the live line, leaving the cursor at the start of an empty line. */
  clear(): void {
    if (this.tty && this.current) this.out.write('\r\x1b[K');
    this.current = '';
  }

  /** A line longer than the terminal wraps, and `\r` would then redraw only its last part. */
  private fit(line: string): string {
    const columns = this.out.columns;
    return columns && line.length >= columns ? `${line.slice(0, Math.max(0, columns - 2))}…` : line;
  }
}
