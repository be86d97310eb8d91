import { Controller, Get, Param, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { LineageConfig } from '@lineage/config';
import { Public } from '@lineage/auth';
import { sendJson } from '@lineage/observability';
import { IDE_ASSET_ROUTE, IDE_CONTENT_SECURITY_POLICY, ideAsset } from './graphiql-assets';

/** The IDE's static files (public: code, no data). 404 for anything else, or when the IDE is off. */
@Controller(IDE_ASSET_ROUTE)
@Public()
export class GraphiqlIdeController {
  constructor(private readonly config: LineageConfig) {}

  @Get(':asset')
  asset(@Param('asset') name: string, @Res() response: ServerResponse): void {
    const asset = this.config.LINEAGE_GRAPHQL_IDE === 'true' ? ideAsset(name) : null;
    if (!asset) {
      sendJson(response, 404, { error: 'NOT_FOUND', reason: `no IDE asset ${name}`, field: null });
      return;
    }
    response.statusCode = 200;
    response.setHeader('Content-Type', asset.contentType);
    response.setHeader('Cache-Control', 'public, max-age=86400');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Content-Security-Policy', IDE_CONTENT_SECURITY_POLICY);
    response.end(asset.body);
  }
}
