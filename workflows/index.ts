export { hexIngestion } from './hexIngestion';
export { scheduledHexIngestion } from './scheduled';
