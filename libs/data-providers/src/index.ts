/**
 * Public API of @trading/data-providers: historical bar data as columnar batches (port + pure
 * parsing, aggregation, resampling and synthetic generation). No I/O: file access lives in
 * @trading/data-providers-file.
 */
export * from './lib/bar-batch';
export * from './lib/timeframe';
export * from './lib/fast-number';
export * from './lib/zone-time';
export * from './lib/csv-options';
export * from './lib/csv-bar-parser';
export * from './lib/candle-aggregator';
export * from './lib/synthetic-bars';
export * from './lib/historical-data.port';
export * from './lib/bar-request';
export * from './lib/in-memory-historical-data';
