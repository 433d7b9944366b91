import type { EventCode } from './catalogue.js';
import type { Kwargs } from './envelope.js';
import type { EventsService } from './service.js';

interface Outgoing {
  to: number[];
  code: EventCode;
  data?: unknown;
  kwargs?: Kwargs;
}

/** Events decided inside a transaction, sent in order once it has committed. */
export class Outbox {
  private items: Outgoing[] = [];

  push(to: number[], code: EventCode, data?: unknown, kwargs?: Kwargs): void {
    if (to.length > 0) this.items.push({ to, code, data, kwargs });
  }

  async flush(events: EventsService): Promise<void> {
    const items = this.items;
    this.items = [];
    for (const item of items) await events.notify(item.to, item.code, item.data, item.kwargs);
  }
}
