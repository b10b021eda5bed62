// Public face of the service layer: the operations table, the shapes of inputs
// and outputs, and the one error type. Adapters import only this.
export * from './types.js';
export * from './operations.js';
