import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { GraphStore } from '@lineage/domain';
import { GRAPH_STORE } from '@lineage/domain';
import { Public } from '@lineage/auth';
import { sendJson } from './http/send-json';

/** A node id no event can carry: looking it up proves the store answers, and finds nothing. */
const PROBE_ID = '\u0000health-probe';

/** `GET /health`, without a key: `{ status: 'ok', store }`, or 503 when the store does not answer. */
@Controller('health')
export class HealthController {
  constructor(@Inject(GRAPH_STORE) private readonly store: GraphStore) {}

  @Get()
  @Public()
  async health(@Res() response: ServerResponse): Promise<void> {
    try {
      await this.store.getNode(PROBE_ID);
      sendJson(response, 200, { status: 'ok', store: this.store.kind });
    } catch {
      sendJson(response, 503, { status: 'unavailable', store: this.store.kind });
    }
  }
}
