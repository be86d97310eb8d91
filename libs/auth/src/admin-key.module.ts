import { Module } from '@nestjs/common';
import { AdminKeySeeder } from './admin-key.seeder';

/** Seeds the first admin key at start-up (see `AdminKeySeeder`). Needs `AuthModule`. */
@Module({ providers: [AdminKeySeeder], exports: [AdminKeySeeder] })
export class AdminKeyModule {}
