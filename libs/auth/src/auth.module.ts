import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyHasher } from './api-key-hasher';
import { ApiKeyService } from './api-key.service';
import { Clock } from './clock';
import { ProductEventWriter } from './product-event.writer';

/**
 * Access control: key verification, key management and the global access guard. Needs the
 * store and the pipeline (`PipelineModule`). Apps that serve the API also import
 * `AdminKeyModule`, which seeds the first admin key.
 */
@Global()
@Module({
  providers: [
    Clock,
    { provide: ApiKeyHasher, useFactory: () => new ApiKeyHasher() },
    ApiKeyAuthenticator,
    ProductEventWriter,
    ApiKeyService,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [Clock, ApiKeyHasher, ApiKeyAuthenticator, ProductEventWriter, ApiKeyService],
})
export class AuthModule {}
