import 'reflect-metadata';
import { AdminKeySeeder, describeAdminKey } from '@lineage/auth';
import { startApp } from '@lineage/observability';
import { ServerModule } from './server.module';

/** `npm start`: the API and the ingestor in one process. */
void startApp(ServerModule, 'server', (app) => describeAdminKey(app.get(AdminKeySeeder).location));
