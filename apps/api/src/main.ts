import 'reflect-metadata';
import { AdminKeySeeder, describeAdminKey } from '@lineage/auth';
import { startApp } from '@lineage/observability';
import { ApiModule } from './api.module';

/** `npm run start:api`: GraphQL and HTTP only. */
void startApp(ApiModule, 'api', (app) => describeAdminKey(app.get(AdminKeySeeder).location));
