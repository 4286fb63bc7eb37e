import {
  CorruptionError,
  Instrument,
  Money,
  Price,
  Quantity,
  TradingDecimal,
  USD,
  ValidationError,
  parseTimestamp,
} from '@trading/domain';
import { testEquity } from '@trading/domain/testing';
import { buy, makeFill, sell, testInstruments, testPortfolio } from '../testing';
import { Portfolio } from './portfolio';
import { FillAppliedEvent, PortfolioEvent } from './portfolio.events';

const T0 = parseTimestamp('2024-01-02T15:00:00Z');
const str = (m: Money) => m.amount.toFixed();
const types = (es: PortfolioEvent[]) => es.map((e) => e.type);

describe('Portfolio: equity-style (full notional) accounting', () => {
  it('buy 100 @ 10 then sell 150 @ 12 flips long → short, realising P&L exactly', () => {
    const pf = testPortfolio();
    const e1 = pf.applyFill(
      buy('AAA.SIM', 100, 10, { commission: 1, ts: T0, tradeId: 't1', clientOrderId: 'c1' }),
    );
    expect(types(e1)).toEqual(['FillApplied', 'PositionOpened']);
    expect(e1[0]).toMatchObject({
      seq: 1,
      quantity: '100',
      price: '10',
      commission: '1',
      realisedPnl: '0',
      cashAfter: '98999',
      tradeId: 't1',
      clientOrderId: 'c1',
    });
    expect(e1[1]).toMatchObject({ seq: 2, side: 'LONG', quantity: '100', avgPrice: '10' });
    expect(str(pf.cash())).toBe('98999');

    const e2 = pf.applyFill(sell('AAA.SIM', 150, 12, { commission: '1.5', ts: T0 + 1 }));
    expect(types(e2)).toEqual(['FillApplied', 'PositionClosed', 'PositionOpened']);
    expect(e2[0]).toMatchObject({ realisedPnl: '200', cashAfter: '100797.5' });
    expect(e2[1]).toMatchObject({ side: 'LONG', realisedPnl: '200' });
    expect(e2[2]).toMatchObject({ side: 'SHORT', quantity: '-50', avgPrice: '12' });

    const pos = pf.position('AAA.SIM');
    expect(pos.quantity.toString()).toBe('-50');
    expect(pos.avgPrice.toString()).toBe('12');
    expect(pos.side).toBe('SHORT');
    expect(str(pos.realisedPnl)).toBe('200');
    expect(str(pos.commissions)).toBe('2.5');
    expect(str(pf.totalCommissions())).toBe('2.5');
    expect(str(pf.realisedPnl())).toBe('200');

    pf.mark('AAA.SIM', 11, T0 + 2);
    expect(str(pf.position('AAA.SIM').unrealisedPnl)).toBe('50');
    expect(str(pf.position('AAA.SIM').marketValue)).toBe('-550');
    expect(str(pf.equity())).toBe('100247.5'); // 100000 + 200 + 50 - 2.5
    expect(str(pf.markToMarketEquity())).toBe('100247.5');
    expect(pf.position('AAA.SIM').lastPrice?.toString()).toBe('11');
    expect(pf.position('AAA.SIM').lastPriceTs).toBe(T0 + 2);
  });

  it('averages the entry price on adds and keeps it on partial closes', () => {
    const pf = testPortfolio();
    pf.applyFill(buy('AAA.SIM', 100, 10));
    const e = pf.applyFill(buy('AAA.SIM', 50, 13));
    expect(types(e)).toEqual(['FillApplied', 'PositionChanged']);
    expect(e[1]).toMatchObject({ quantity: '150', avgPrice: '11', realisedPnl: '0' });
    const c = pf.applyFill(sell('AAA.SIM', 50, 15));
    expect(c[1]).toMatchObject({
      type: 'PositionChanged',
      quantity: '100',
      avgPrice: '11',
      realisedPnl: '200',
    });
    expect((c[0] as FillAppliedEvent).realisedPnl).toBe('200');
    expect(str(pf.position('AAA.SIM').costBasis)).toBe('1100');
    expect(str(pf.cash())).toBe('99100'); // 100000 - 1000 - 650 + 750
  });

  it('splits a non-terminating average cost at 12 decimals and stays exact overall', () => {
    const pf = testPortfolio();
    pf.applyFill(buy('AAA.SIM', 1, 10));
    pf.applyFill(buy('AAA.SIM', 2, 11));
    expect(pf.position('AAA.SIM').avgPrice.value.toSignificantDigits(10).toFixed()).toBe(
      '10.66666667',
    );
    const a = pf.applyFill(sell('AAA.SIM', 1, 12));
    expect((a[0] as FillAppliedEvent).realisedPnl).toBe('1.333333333333');
    const b = pf.applyFill(sell('AAA.SIM', 2, 12));
    expect((b[0] as FillAppliedEvent).realisedPnl).toBe('2.666666666667');
    expect(str(pf.realisedPnl())).toBe('4');
    expect(str(pf.cash())).toBe('100004');
    expect(pf.openPositionCount()).toBe(0);
    expect(pf.position('AAA.SIM').side).toBe('FLAT');
    expect(pf.position('AAA.SIM').avgPrice.toString()).toBe('0');
  });

  it('realises P&L on short covers and on a full close', () => {
    const pf = testPortfolio();
    pf.applyFill(sell('BBB.SIM', 10, 50));
    pf.applyFill(buy('BBB.SIM', 4, 45));
    expect(str(pf.realisedPnl())).toBe('20');
    const e = pf.applyFill(buy('BBB.SIM', 6, 52));
    expect(types(e)).toEqual(['FillApplied', 'PositionClosed']);
    expect(e[1]).toMatchObject({ side: 'SHORT', realisedPnl: '8' }); // 20 - 12
    expect(str(pf.cash())).toBe('100008');
    expect(pf.positions()).toEqual([]);
  });

  it('uses the multiplier for equity-style contracts (cash pays the full notional)', () => {
    const pf = testPortfolio();
    pf.applyFill(buy('TEN.SIM', 3, 20));
    expect(str(pf.cash())).toBe('99400');
    pf.mark('TEN.SIM', 21.5, T0);
    expect(str(pf.position('TEN.SIM').unrealisedPnl)).toBe('45');
    expect(str(pf.position('TEN.SIM').marketValue)).toBe('645');
    expect(str(pf.equity())).toBe('100045');
    expect(pf.position('TEN.SIM').settlement).toBe('FULL_NOTIONAL');
  });

  it('uses the fill price as the mark until the first mark arrives, then only marks move it', () => {
    const pf = testPortfolio();
    pf.applyFill(buy('AAA.SIM', 10, 10));
    expect(pf.position('AAA.SIM').lastPrice?.toString()).toBe('10');
    pf.mark('AAA.SIM', 12, T0);
    pf.applyFill(buy('AAA.SIM', 10, 11));
    expect(pf.position('AAA.SIM').lastPrice?.toString()).toBe('12');
    expect(str(pf.unrealisedPnl())).toBe('30');
    pf.mark('AAA.SIM', 12, T0 + 1); // same price: cached value reused
    expect(str(pf.unrealisedPnl())).toBe('30');
    pf.mark('AAA.SIM', Price.of('12.5'), T0 + 2);
    expect(str(pf.unrealisedPnl())).toBe('40');
  });

  it('markerFor(id) marks like mark(id, …) and validates alike', () => {
    const a = testPortfolio();
    const b = testPortfolio();
    for (const pf of [a, b]) pf.applyFill(buy('AAA.SIM', 10, 10));
    const mark = b.markerFor('AAA.SIM');
    for (const [px, ts] of [
      [12, T0],
      [12, T0 + 1],
      [9.75, T0 + 2],
    ] as const) {
      a.mark('AAA.SIM', px, ts);
      mark(px, ts);
      expect(b.position('AAA.SIM')).toEqual(a.position('AAA.SIM'));
      expect(str(b.equity())).toBe(str(a.equity()));
    }
    expect(() => mark(Number.NaN, T0 + 3)).toThrow(/price/);
    expect(() => mark(12, 1.5)).toThrow(/ts/);
    expect(() => b.markerFor('NOPE.SIM')).toThrow(/instrumentId/);
    expect(str(b.equity())).toBe(str(a.equity())); // a rejected mark changed nothing
  });

  it('reports exposure, positions and buying power', () => {
    const pf = testPortfolio();
    pf.applyFill(buy('AAA.SIM', 100, 10));
    pf.applyFill(sell('BBB.SIM', 20, 50));
    pf.applyFill(buy('FUT.SIM', 1, 100));
    const x = pf.exposure();
    expect([str(x.long), str(x.short), str(x.gross), str(x.net)]).toEqual([
      '2000',
      '1000',
      '3000',
      '1000',
    ]);
    expect(pf.positions().map((p) => p.instrumentId)).toEqual(['AAA.SIM', 'BBB.SIM', 'FUT.SIM']);
    expect(pf.openPositionCount()).toBe(3);
    expect(str(pf.buyingPower())).toBe(str(pf.cash()));
    const margin = testPortfolio({ marginMultiplier: 2 });
    margin.applyFill(buy('AAA.SIM', 100, 10));
    expect(str(margin.buyingPower())).toBe('199000'); // 100000 * 2 - 1000
  });

  it('books deposits, withdrawals and fees into cash and the identity', () => {
    const pf = testPortfolio();
    expect(types(pf.deposit(5000, T0))).toEqual(['CashAdjusted']);
    const w = pf.withdraw(Money.of(1000), T0, 'payout');
    expect(w[0]).toMatchObject({
      amount: '-1000',
      reason: 'WITHDRAWAL',
      note: 'payout',
      cashAfter: '104000',
    });
    pf.adjustCash('-2.5', 'FEE', T0);
    pf.adjustCash('1', 'INTEREST', T0);
    expect(str(pf.cash())).toBe('103998.5');
    expect(str(pf.netDeposits())).toBe('4000');
    expect(str(pf.otherCashAdjustments())).toBe('-1.5');
    expect(str(pf.startingCash())).toBe('100000');
    expect(() => pf.adjustCash(-5, 'DEPOSIT', T0)).toThrow(ValidationError);
    expect(() => pf.adjustCash(5, 'WITHDRAWAL', T0)).toThrow(ValidationError);
    expect(() => pf.adjustCash(5, 'GIFT' as never, T0)).toThrow(ValidationError);
  });
});

describe('Portfolio: futures-style (P&L-only) settlement', () => {
  it('moves cash only by realised P&L and commissions; unrealised sits in equity', () => {
    const pf = testPortfolio();
    pf.applyFill(buy('FUT.SIM', 2, 100, { commission: '2.5' }));
    expect(str(pf.cash())).toBe('99997.5');
    pf.mark('FUT.SIM', 103, T0);
    expect(str(pf.position('FUT.SIM').unrealisedPnl)).toBe('60'); // 3 * 2 * 10
    expect(str(pf.position('FUT.SIM').marketValue)).toBe('2060');
    expect(str(pf.equity())).toBe('100057.5');
    const e = pf.applyFill(sell('FUT.SIM', 3, 105, { commission: '3.75' }));
    expect(types(e)).toEqual(['FillApplied', 'PositionClosed', 'PositionOpened']);
    expect((e[0] as FillAppliedEvent).realisedPnl).toBe('100'); // (105 - 100) * 2 * 10
    expect(str(pf.cash())).toBe('100093.75');
    pf.mark('FUT.SIM', 104, T0 + 1);
    expect(pf.position('FUT.SIM').quantity.toString()).toBe('-1');
    expect(str(pf.position('FUT.SIM').unrealisedPnl)).toBe('10');
    expect(str(pf.equity())).toBe('100103.75');
    expect(str(pf.exposure().gross)).toBe('1040');
    expect(str(pf.exposure().net)).toBe('-1040');
    expect(pf.position('FUT.SIM').settlement).toBe('PNL_ONLY');
  });

  it('handles a ×50 contract with partial closes', () => {
    const pf = testPortfolio();
    pf.applyFill(sell('BIG.SIM', 4, '4000.25'));
    pf.applyFill(buy('BIG.SIM', 1, '3990'));
    expect(str(pf.realisedPnl())).toBe('512.5'); // 10.25 * 50
    expect(str(pf.cash())).toBe('100512.5');
    pf.mark('BIG.SIM', 4010.25, T0);
    expect(str(pf.unrealisedPnl())).toBe('-1500'); // -10 * 3 * 50
    expect(str(pf.equity())).toBe('99012.5');
  });
});

describe('Portfolio: validation', () => {
  it('rejects bad fills, marks and options', () => {
    const pf = testPortfolio();
    expect(() => pf.applyFill(buy('NOPE.SIM', 1, 1))).toThrow(ValidationError);
    expect(() =>
      pf.applyFill(
        makeFill({
          instrumentId: 'AAA.SIM',
          side: 'BUY',
          quantity: 1,
          price: 1,
          commission: 1,
          currency: 'EUR',
        }),
      ),
    ).toThrow(/base currency USD/);
    expect(() => pf.applyFill({ ...buy('AAA.SIM', 1, 1), side: 'HOLD' as never })).toThrow(
      ValidationError,
    );
    // non-finite values smuggled in through the unchecked fromDecimal wrappers: named, no change
    const cashBefore = str(pf.cash());
    const inf = new TradingDecimal(Infinity);
    expect(() => pf.applyFill({ ...buy('AAA.SIM', 1, 1), price: Price.fromDecimal(inf) })).toThrow(
      /fill\.price/,
    );
    expect(() =>
      pf.applyFill({ ...buy('AAA.SIM', 1, 1), quantity: Quantity.fromDecimal(inf) }),
    ).toThrow(/fill\.quantity/);
    expect(() =>
      pf.applyFill({
        ...buy('AAA.SIM', 1, 1),
        commission: Money.fromDecimal(new TradingDecimal(NaN), USD),
      }),
    ).toThrow(/fill\.commission/);
    expect(str(pf.cash())).toBe(cashBefore);
    expect(() => pf.applyFill({ ...buy('AAA.SIM', 1, 1), quantity: 1 as never })).toThrow(
      ValidationError,
    );
    expect(() => pf.applyFill({ ...buy('AAA.SIM', 1, 1), price: 1 as never })).toThrow(
      ValidationError,
    );
    expect(() => pf.applyFill({ ...buy('AAA.SIM', 1, 1), commission: 1 as never })).toThrow(
      ValidationError,
    );
    expect(() => pf.applyFill({ ...buy('AAA.SIM', 1, 1), ts: 1.5 })).toThrow(ValidationError);
    expect(() => pf.mark('AAA.SIM', NaN, T0)).toThrow(ValidationError);
    expect(() => pf.mark('AAA.SIM', Infinity, T0)).toThrow(ValidationError);
    expect(() => pf.mark('AAA.SIM', '1' as never, T0)).toThrow(ValidationError);
    expect(() => pf.mark('NOPE.SIM', 1, T0)).toThrow(ValidationError);
    expect(() => pf.mark('AAA.SIM', 1, 1.5)).toThrow(ValidationError);
    const before = JSON.stringify(pf.toSnapshot());
    expect(pf.position('BBB.SIM').side).toBe('FLAT'); // a read does not add state
    expect(JSON.stringify(pf.toSnapshot())).toBe(before);
    expect(() => pf.position('NOPE.SIM')).toThrow(ValidationError);
    expect(() => testPortfolio({ marginMultiplier: '0.5' })).toThrow(ValidationError);
    expect(() => testPortfolio({ timeZone: 'Mars/Base' })).toThrow(ValidationError);
    expect(() => testPortfolio({ instruments: 5 as never })).toThrow(ValidationError);
    expect(() => testPortfolio({ instruments: [5 as never] })).toThrow(ValidationError);
    expect(
      () =>
        new Portfolio({
          startingCash: Money.of(1, 'EUR'),
          instruments: testInstruments(),
          baseCurrency: 'USD',
        }),
    ).toThrow(ValidationError);
    const eurStock = new Instrument({ id: 'SAP.XETR', currency: 'EUR' });
    const pf2 = new Portfolio({ startingCash: 1000, instruments: [eurStock] });
    expect(() => pf2.mark('SAP.XETR', 1, T0)).toThrow(/FX conversion/);
  });

  it('accepts a lookup function and takes the base currency from starting cash', () => {
    const eur = testEquity('SAP', { currency: 'EUR' });
    const pf = new Portfolio({
      startingCash: Money.of(1000, 'EUR'),
      instruments: (id) => (id === eur.id ? eur : undefined),
    });
    expect(pf.baseCurrency).toBe('EUR');
    pf.applyFill(
      makeFill({
        instrumentId: 'SAP.SIM',
        side: 'BUY',
        quantity: 2,
        price: 100,
        commission: 1,
        currency: 'EUR',
      }),
    );
    expect(pf.cash().toString()).toBe('799 EUR');
  });
});

describe('Portfolio: replay errors', () => {
  it('detects gaps, orphan derived events, mismatches and unknown types; skips already-applied seqs', () => {
    const pf = testPortfolio();
    const ev = [...pf.applyFill(buy('AAA.SIM', 1, 10)), ...pf.applyFill(buy('AAA.SIM', 1, 11))];
    expect(() => testPortfolio().replay([ev[2]])).toThrow(CorruptionError); // gap
    expect(() => testPortfolio().replay([ev[0], ev[1], { ...ev[1], seq: 3 }])).toThrow(
      /not preceded/,
    );
    expect(() =>
      testPortfolio().replay([{ ...(ev[0] as FillAppliedEvent), cashAfter: '1' }]),
    ).toThrow(/does not replay/);
    expect(() => testPortfolio().replay([{ seq: 1, ts: 0, type: 'Bogus' } as never])).toThrow(
      /unknown/,
    );
    const r = testPortfolio().replay(ev).replay(ev);
    expect(r.seq).toBe(4);
    expect(r.toSnapshot()).toEqual(pf.toSnapshot());
    const cash = pf.deposit(10, T0);
    expect(() =>
      testPortfolio().replay([...ev, { ...cash[0], cashAfter: '0' } as PortfolioEvent]),
    ).toThrow(/does not replay/);
    const rec = pf.recordEquity(T0);
    expect(() =>
      testPortfolio().replay([
        ...ev,
        ...cash,
        ...rec.map((e) => (e.type === 'EquityRecorded' ? { ...e, equity: '1' } : e)),
      ]),
    ).toThrow(/does not replay/);
  });
});

describe('Portfolio.positionQuantity', () => {
  it('is positionSummary().quantity: flat, long, short, and throws alike for an unknown id', () => {
    const pf = testPortfolio();
    expect(pf.positionQuantity('AAA.SIM').toFixed()).toBe('0');
    pf.applyFill(buy('AAA.SIM', 100, 10, { ts: T0 }));
    expect(pf.positionQuantity('AAA.SIM')).toBe(pf.positionSummary('AAA.SIM').quantity);
    expect(pf.positionQuantity('AAA.SIM').toFixed()).toBe('100');
    pf.applyFill(sell('AAA.SIM', 130, 11, { ts: T0 + 1 }));
    expect(pf.positionQuantity('AAA.SIM').toFixed()).toBe('-30');
    expect(pf.positionQuantity('AAA.SIM')).toBe(pf.positionSummary('AAA.SIM').quantity);
    expect(() => pf.positionQuantity('NOPE.SIM')).toThrow(ValidationError);
    expect(() => pf.positionSummary('NOPE.SIM')).toThrow(ValidationError);
  });
});
