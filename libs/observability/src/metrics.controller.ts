import { Controller, Get, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { Roles } from '@lineage/auth';
import { MetricsService } from './metrics.service';

/** `GET /metrics`: Prometheus text. Any valid key may read it (it carries counts, no graph data). */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Roles('analyst')
  async metricsText(@Res() response: ServerResponse): Promise<void> {
    const body = await this.metrics.render();
    response.statusCode = 200;
    response.setHeader('Content-Type', this.metrics.contentType);
    response.end(body);
  }
}
