// Entry point of the Lambda bundle: only the handler, nothing build-time.
export { handler } from './handler.ts';
