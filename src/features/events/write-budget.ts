import type { Writable } from 'node:stream';
import type { StreamSink } from './stream-hub.js';

export interface WriteBudgetOptions {
  /** Bytes written to one stream and not yet taken by its client; above it the stream is closed. */
  perStreamBytes: number;
  /** The same, summed over every stream of this process; above it the streams that lag are closed. */
  totalBytes: number;
}

/** The defaults of SSE_STREAM_BUFFER_BYTES and SSE_STREAM_BUFFER_TOTAL_BYTES (README, configuration). */
export const DEFAULT_WRITE_BUDGET: WriteBudgetOptions = { perStreamBytes: 1024 * 1024, totalBytes: 128 * 1024 * 1024 };

/**
 * What SSE streams hold in memory for clients that read slower than events
 * come (a socket that backs up: HTTP/2 flow control, a full TCP window).
 * A stream is closed instead of buffering more once its own backlog exceeds
 * `perStreamBytes`, or once the backlogs of all streams exceed `totalBytes`
 * and its own is not small (a sixteenth of `perStreamBytes`): its client
 * reconnects with `Last-Event-ID` and resumes from the log, which is bounded.
 *
 * A stream's backlog is `writableLength` (for HTTP/1.1 it includes the
 * socket's). The total adds each stream's backlog as last seen: after each
 * write, after each write completes, and 0 once it is closed.
 */
export class StreamWriteBudget {
  private total = 0;
  /** Streams closed for lagging (metrics, tests). */
  closedForLag = 0;

  constructor(private readonly options: WriteBudgetOptions = DEFAULT_WRITE_BUDGET) {}

  /** Bytes waiting in the streams of this process, as last seen. */
  get bufferedBytes(): number {
    return this.total;
  }

  /** A sink writing to `out` (the HTTP/2 stream, or the HTTP/1.1 response) within the budget. */
  sink(out: Writable): StreamSink {
    let counted = 0;
    let closed = false;
    const recount = () => {
      if (closed) return;
      const now = out.writableLength;
      this.total += now - counted;
      counted = now;
    };
    out.once('close', () => {
      closed = true;
      this.total -= counted;
      counted = 0;
    });
    const lagging = (backlog: number) =>
      backlog > this.options.perStreamBytes || (this.total > this.options.totalBytes && backlog > this.options.perStreamBytes / 16);
    return {
      write: (frame) => {
        if (out.destroyed || out.writableEnded) return;
        if (lagging(out.writableLength)) {
          this.closedForLag += 1;
          out.destroy();
          return;
        }
        out.write(frame, recount);
        recount();
      },
      end() {
        if (!out.writableEnded) out.end();
      },
    };
  }
}
