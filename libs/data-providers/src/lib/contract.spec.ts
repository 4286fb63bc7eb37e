import { InstrumentId } from '@trading/domain';
import { historicalDataContract, syntheticHistoricalData } from '../testing';
import { concatBarBatches } from './bar-batch';
import { syntheticBarBatches } from './synthetic-bars';

const ID = 'SYN.SIM' as InstrumentId;
const opts = { instrumentId: ID, count: 2_000, seed: 99, batchSize: 256 };
historicalDataContract(
  'InMemoryHistoricalData (synthetic)',
  () => syntheticHistoricalData(opts),
  ID,
  () => concatBarBatches(ID, [...syntheticBarBatches(opts)]),
);
