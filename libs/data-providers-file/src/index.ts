/**
 * Public API of @trading/data-providers-file: the {@link HistoricalData} port over CSV files with a
 * binary columnar cache, and its inversify module.
 */
export * from './lib/bar-cache';
export * from './lib/csv-historical-data';
export * from './lib/csv-historical-data.module';
