/** Backtest reports: self-contained HTML (uPlot inlined) and canonical JSON result files. */
export * from './downsample';
export * from './html-report';
export * from './report-files';
