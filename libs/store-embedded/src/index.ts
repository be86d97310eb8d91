export * from './embedded-graph-store';
