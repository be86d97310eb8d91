import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';

/** `POST /events`: the CloudEvents HTTP binding onto the ingestion pipeline. Needs `PipelineModule` and `AuthModule`. */
@Module({ controllers: [EventsController] })
export class EventsHttpModule {}
