import {
  clientOrderId,
  instrumentId,
  InstrumentId,
  OrderSide,
  tradeId,
  TradingDecimal,
} from '@trading/domain';
import {
  equityPointFromJson,
  equityPointToJson,
  FillRecord,
  fillFromJson,
  fillToJson,
  roundTripFromJson,
  roundTripToJson,
} from './analytics.types';
import { RoundTripTracker } from './round-trip-tracker';

const AAA = instrumentId('AAA', 'SIM');
const BBB = instrumentId('BBB', 'SIM');
let seq = 0;
const d = (x: string | number) => new TradingDecimal(x);

function fill(
  ts: number,
  side: OrderSide,
  qty: string,
  price: string,
  commission = '0',
  id: InstrumentId = AAA,
): FillRecord {
  seq++;
  return {
    ts,
    instrumentId: id,
    side,
    quantity: d(qty),
    price: d(price),
    commission: d(commission),
    clientOrderId: clientOrderId(`o-${seq}`),
    tradeId: tradeId(`t-${seq}`),
  };
}

const str = (t: {
  quantity: TradingDecimal;
  entryPrice: TradingDecimal;
  exitPrice: TradingDecimal;
  grossPnl: TradingDecimal;
  commission: TradingDecimal;
  netPnl: TradingDecimal;
}) => ({
  quantity: t.quantity.toFixed(),
  entryPrice: t.entryPrice.toFixed(),
  exitPrice: t.exitPrice.toFixed(),
  grossPnl: t.grossPnl.toFixed(),
  commission: t.commission.toFixed(),
  netPnl: t.netPnl.toFixed(),
});

describe('RoundTripTracker', () => {
  it('matches FIFO and splits trades on partial closes, attributing commissions pro rata', () => {
    const tr = new RoundTripTracker();
    tr.onFill(fill(1, 'BUY', '100', '10', '1'));
    tr.onFill(fill(2, 'BUY', '50', '12', '0.5'));
    tr.onFill(fill(3, 'SELL', '120', '15', '1.2'));
    expect(
      tr
        .openTrades()
        .map((o) => [o.quantity.toFixed(), o.entryPrice.toFixed(), o.commission.toFixed()]),
    ).toEqual([['30', '12', '0.3']]);
    tr.onFill(fill(4, 'SELL', '30', '11', '0.3'));

    const trades = tr.trades();
    expect(trades).toHaveLength(3);
    // Lot 1 (100 @10) closed by the 120 @15 sell: gross 5×100 = 500; commission 1 + 1.2×100/120 = 2.
    expect(str(trades[0])).toEqual({
      quantity: '100',
      entryPrice: '10',
      exitPrice: '15',
      grossPnl: '500',
      commission: '2',
      netPnl: '498',
    });
    expect(trades[0]).toMatchObject({ direction: 'LONG', entryTs: 1, exitTs: 3, returnPct: 0.498 });
    // 20 of lot 2 (50 @12) closed by the rest of the sell: gross 3×20 = 60; commission 0.5×20/50 + 0.2 = 0.4.
    expect(str(trades[1])).toEqual({
      quantity: '20',
      entryPrice: '12',
      exitPrice: '15',
      grossPnl: '60',
      commission: '0.4',
      netPnl: '59.6',
    });
    expect(trades[1]).toMatchObject({ entryTs: 2, exitTs: 3 });
    // Remaining 30 of lot 2 closed at 11: gross −30; commission 0.3 + 0.3 = 0.6.
    expect(str(trades[2])).toEqual({
      quantity: '30',
      entryPrice: '12',
      exitPrice: '11',
      grossPnl: '-30',
      commission: '0.6',
      netPnl: '-30.6',
    });
    expect(trades[2].returnPct).toBeCloseTo(-30.6 / 360, 12);
    expect(tr.openTrades()).toEqual([]);
    // Commission is conserved: 1 + 0.5 + 1.2 + 0.3 = 3.
    expect(trades.reduce((s, t) => s.add(t.commission), d(0)).toFixed()).toBe('3');
  });

  it('keeps commission totals exact when the split is not a terminating decimal', () => {
    const tr = new RoundTripTracker();
    tr.onFill(fill(1, 'BUY', '3', '10', '1'));
    tr.onFill(fill(2, 'SELL', '1', '11', '0'));
    tr.onFill(fill(3, 'SELL', '1', '11', '0'));
    tr.onFill(fill(4, 'SELL', '1', '11', '0'));
    expect(
      tr
        .trades()
        .reduce((s, t) => s.add(t.commission), d(0))
        .toFixed(),
    ).toBe('1');
  });

  it('rounds commission shares to 12 places so flips and partial closes add up exactly', () => {
    // found by the ledger property test: 4.35 × 8 / 37 unrounded has 40 significant digits, and
    // the remainder 4.35 − share was then rounded, leaving 4.360000…001 in total
    const tr = new RoundTripTracker();
    tr.onFill(fill(1, 'BUY', '8', '1', '0'), d(10));
    tr.onFill(fill(2, 'SELL', '37', '1', '4.35'), d(10)); // closes 8, opens a short of 29
    tr.onFill(fill(3, 'SELL', '10', '1', '0'), d(10));
    tr.onFill(fill(4, 'BUY', '39', '1', '0.01'), d(10)); // closes both short lots
    const trades = tr.trades();
    expect(trades.map((t) => t.commission.toFixed())).toEqual([
      '0.940540540541',
      '3.416895356895',
      '0.002564102564',
    ]);
    expect(trades.reduce((s, t) => s.add(t.commission), d(0)).toFixed()).toBe('4.36');
    for (const t of trades) expect(t.commission.decimalPlaces()).toBeLessThanOrEqual(12);
  });

  it('closes and reopens on a flip (short → long)', () => {
    const tr = new RoundTripTracker();
    tr.onFill(fill(10, 'SELL', '10', '100', '0'));
    tr.onFill(fill(20, 'BUY', '25', '90', '2.5'));
    const [t] = tr.trades();
    expect(tr.trades()).toHaveLength(1);
    // Short 10 from 100 to 90: +100; commission 2.5×10/25 = 1.
    expect(str(t)).toEqual({
      quantity: '10',
      entryPrice: '100',
      exitPrice: '90',
      grossPnl: '100',
      commission: '1',
      netPnl: '99',
    });
    expect(t.direction).toBe('SHORT');
    const open = tr.openTrades();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ direction: 'LONG', entryTs: 20, instrumentId: AAA });
    expect([
      open[0].quantity.toFixed(),
      open[0].entryPrice.toFixed(),
      open[0].commission.toFixed(),
    ]).toEqual(['15', '90', '1.5']);
  });

  it('applies the contract multiplier (argument, else the fill field)', () => {
    const tr = new RoundTripTracker();
    tr.onFill(fill(1, 'BUY', '2', '4000', '0'), d(50));
    tr.onFill(fill(2, 'SELL', '2', '4010', '0'));
    expect(tr.trades()[0].grossPnl.toFixed()).toBe('1000');
    expect(tr.trades()[0].returnPct).toBeCloseTo(1000 / 400000, 12);

    const tr2 = new RoundTripTracker();
    tr2.onFill({ ...fill(1, 'SELL', '1', '100', '0'), multiplier: d(10) });
    tr2.onFill(fill(2, 'BUY', '1', '103', '0'));
    expect(tr2.trades()[0].grossPnl.toFixed()).toBe('-30');
  });

  it('keeps instruments separate', () => {
    const tr = new RoundTripTracker();
    tr.onFill(fill(1, 'BUY', '1', '10', '0', AAA));
    tr.onFill(fill(2, 'SELL', '1', '20', '0', BBB));
    expect(tr.trades()).toHaveLength(0);
    expect(tr.openTrades().map((o) => [o.instrumentId, o.direction])).toEqual([
      [AAA, 'LONG'],
      [BBB, 'SHORT'],
    ]);
  });

  it('tracks MAE/MFE of a long from bars after entry and the exit price', () => {
    const tr = new RoundTripTracker();
    tr.onFill(fill(1000, 'BUY', '10', '100'));
    tr.onBar(AAA, 1000, 130, 50); // the bar that closed at the entry: ignored
    tr.onBar(AAA, 2000, 103, 98);
    tr.onBar(BBB, 2000, 500, 1); // other instrument: ignored
    expect(tr.openTrades()[0]).toMatchObject({ mae: 2, mfe: 3, barsHeld: 1 });
    tr.onBar(AAA, 3000, 107, 99);
    tr.onFill(fill(3000, 'SELL', '10', '104'));
    const [t] = tr.trades();
    // Worst low 98 → MAE 2; best high 107 → MFE 7; ×10 units.
    expect(t).toMatchObject({ mae: 2, mfe: 7, maeValue: 20, mfeValue: 70, barsHeld: 2 });
  });

  it('tracks MAE/MFE of a short (adverse = up) including an exit beyond the bar range', () => {
    const tr = new RoundTripTracker();
    tr.onFill(fill(0, 'SELL', '5', '50'));
    tr.onBar(AAA, 1, 52, 47);
    // The exit fill's multiplier is ignored: a lot keeps the multiplier it was opened with (1).
    tr.onFill({ ...fill(2, 'BUY', '5', '53'), multiplier: d(2) });
    const [t] = tr.trades();
    // High 52 but exit 53 → MAE 3; low 47 → MFE 3; ×5 units.
    expect(t).toMatchObject({
      direction: 'SHORT',
      mae: 3,
      mfe: 3,
      maeValue: 15,
      mfeValue: 15,
      barsHeld: 1,
    });
    expect(t.netPnl.toFixed()).toBe('-15');
  });

  it('rejects invalid fills', () => {
    const tr = new RoundTripTracker();
    expect(() => tr.onFill(fill(1, 'BUY', '0', '10'))).toThrow(/quantity/);
    expect(() => tr.onFill({ ...fill(1, 'BUY', '1', '10'), side: 'HOLD' as OrderSide })).toThrow(
      /side/,
    );
  });

  it('round-trips fills and trades through their JSON shapes', () => {
    const tr = new RoundTripTracker();
    const f1 = { ...fill(1, 'BUY', '1.5', '10.25', '0.01'), multiplier: d(1) };
    tr.onFill(f1);
    tr.onFill(fill(2, 'SELL', '1.5', '11', '0.01'));
    const j = fillToJson(f1);
    expect(j).toEqual({
      ts: 1,
      instrumentId: 'AAA.SIM',
      side: 'BUY',
      quantity: '1.5',
      price: '10.25',
      commission: '0.01',
      clientOrderId: f1.clientOrderId,
      tradeId: f1.tradeId,
      multiplier: '1',
    });
    expect(fillToJson(fillFromJson(j))).toEqual(j);
    const tj = roundTripToJson(tr.trades()[0]);
    expect(tj.netPnl).toBe('1.105');
    expect(roundTripToJson(roundTripFromJson(tj))).toEqual(tj);
    const ej = { ts: 5, equity: '100.10', cash: '-3' };
    expect(equityPointToJson(equityPointFromJson(ej))).toEqual({
      ts: 5,
      equity: '100.1',
      cash: '-3',
    });
    expect(() => equityPointFromJson({ ...ej, equity: 'abc' })).toThrow(/equity/);
  });
});
