export * from './plan-channel';
export * from './offboarding-planned-event';
export * from './webhook-plan-channel';
export * from './plan-delivery-worker';
export * from './offboarding-triggers';
export * from './offboarding.service';
export * from './offboarding-metrics';
export * from './offboarding.module';
