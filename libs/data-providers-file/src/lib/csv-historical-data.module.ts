import { ContainerModule } from 'inversify';
import { DATA_TOKENS } from '@trading/data-providers';
import { CsvHistoricalData, CsvHistoricalDataOptions } from './csv-historical-data';

/** Binds {@link DATA_TOKENS.HistoricalData} to a {@link CsvHistoricalData} over the given files. */
export function csvHistoricalDataModule(opts: CsvHistoricalDataOptions): ContainerModule {
  const data = new CsvHistoricalData(opts);
  return new ContainerModule((options) => {
    options.bind(DATA_TOKENS.HistoricalData).toConstantValue(data);
  });
}
