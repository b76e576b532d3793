export { hexIngestion } from './hexIngestion';
