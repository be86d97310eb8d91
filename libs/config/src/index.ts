export * from './lineage-config';
export * from './config.module';
