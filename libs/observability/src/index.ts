export * from './json-logger';
export * from './metrics.service';
export * from './errors/domain-error-classifier';
export * from './http/http-error.filter';
export * from './http/read-body';
export * from './http/send-json';
export * from './http/http-app.factory';
export * from './observability.module';
